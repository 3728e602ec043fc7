package rules

import (
	"strconv"
	"strings"

	"github.com/wrklint/wrklint/analyzer"
)

// FileWrite is WL101.
var FileWrite = &analyzer.Rule{
	ID:        "WL101",
	Name:      "FileWrite",
	Level:     analyzer.LevelError,
	CWE:       73,
	Title:     "Do not write files outside the allowed paths",
	Precision: "high",
	Bad:       "function done(summary)\n  local f = io.open(\"/tmp/report.csv\", \"w\")\n  f:write(summary.requests, \"\\n\")\n  f:close()\nend\n",
	Good:      "function done(summary)\n  io.write(summary.requests, \"\\n\") -- stdout; the pipeline saves it\nend\n",
	Description: "The script opens a file for writing or appending (io.open with a mode that is not provably " +
		"read-only), or redirects the default output to a file with io.output(path). A load-test script that writes " +
		"files can plant or overwrite data on the load generator. Writing to io.stdout, io.stderr, or with io.write " +
		"while the default output is stdout, is not a file write. Paths listed in allow.write are not reported.",
	Help: "Reported: `io.open(path, mode)` where mode contains `w`, `a` or `+`, or is not a constant; " +
		"`io.output(path)`; and `io.open`/`io.output` passed to code wrklint cannot follow. " +
		"The finding is at the call that opens the file, not at each later `:write`.\n\n" +
		"Writing a CSV or JSON report in `done()` is common; allow it in `.wrklint.yml`:\n\n" +
		"```yaml\nallow:\n  write: [\"reports/\"]\n```\n\n" +
		"or print the report to stdout and let the pipeline save it.",
	Run: runFileWrite,
}

// FileRead is WL102.
var FileRead = &analyzer.Rule{
	ID:        "WL102",
	Name:      "FileRead",
	Level:     analyzer.LevelWarning,
	CWE:       73,
	Title:     "Review files read by the script",
	Precision: "high",
	Bad:       "local paths = {}\nfor line in io.lines(\"urls.txt\") do paths[#paths + 1] = line end\n",
	Good:      "local paths = {\"/\", \"/search\", \"/cart\"}\n",
	Description: "The script reads a file: io.open in a read-only mode, io.lines(path) or io.input(path). " +
		"Reading URL lists or payloads is legitimate, but file data can leak secrets into requests or output. " +
		"Paths listed in allow.read are not reported.",
	Help: "Reported: `io.open(path)` and `io.open(path, \"r\")`/`\"rb\"`, `io.lines(path)`, `io.input(path)`. " +
		"`io.lines()` without a path reads standard input and is not reported.\n\n" +
		"Allow the files the script is meant to read:\n\n```yaml\nallow:\n  read: [\"data/*.txt\"]\n```",
	Run: runFileRead,
}

// FilesystemMutation is WL104.
var FilesystemMutation = &analyzer.Rule{
	ID:        "WL104",
	Name:      "FilesystemMutation",
	Level:     analyzer.LevelError,
	CWE:       73,
	Title:     "Do not remove, rename or create temporary files",
	Precision: "very-high",
	Bad:       "function done()\n  os.remove(\"/tmp/bench.lock\")\nend\n",
	Good:      "function done(summary)\n  print(summary.requests)\nend\n",
	Description: "The script refers to os.remove, os.rename or os.tmpname. A benchmark script has no business " +
		"deleting or moving files on the load generator. Every reference counts, not only calls.",
	Help: "Remove the call. Clean-up before or after a benchmark belongs in the pipeline that runs wrk.",
	Run: func(pass *analyzer.Pass) error {
		reportReferences(pass, func(p string) string {
			switch p {
			case "os.remove", "os.rename", "os.tmpname":
				return p
			}
			return ""
		}, func(expr, what string) string {
			verb := map[string]string{"os.remove": "deletes files", "os.rename": "moves files", "os.tmpname": "creates files"}[what]
			if expr == what {
				return what + " " + verb
			}
			return expr + " is " + what + ", which " + verb
		})
		return nil
	},
}

// openMode classifies io.open's mode argument.
type openMode int

const (
	modeRead openMode = iota
	modeWrite
)

// classifyMode: a missing or nil mode reads; constant modes starting with
// "r" and without "+" read; anything else, non-constant modes included,
// may write.
func classifyMode(mode *analyzer.ValueSet) (openMode, string) {
	if isNil(mode) {
		return modeRead, "r"
	}
	modes, all := mode.ConstStrings()
	if !all {
		return modeWrite, "a mode that is not constant"
	}
	for _, m := range modes {
		if !strings.HasPrefix(m, "r") || strings.Contains(m, "+") {
			return modeWrite, "mode " + strconv.Quote(m)
		}
	}
	return modeRead, "mode " + strconv.Quote(modes[0])
}

// pathsAllowed reports whether every possible path is constant and allowed.
func pathsAllowed(vals *analyzer.ValueSet, allow func(string) bool) bool {
	paths, all := vals.ConstStrings()
	if !all {
		return false
	}
	for _, p := range paths {
		if !allow(p) {
			return false
		}
	}
	return true
}

// notAllowed returns the constant paths in vals that allowed does not
// cover, or nil when one of them is not constant (no allowance names it).
func notAllowed(vals *analyzer.ValueSet, allowed func(string) bool) []string {
	names, all := vals.ConstStrings()
	if !all {
		return nil
	}
	var out []string
	for _, n := range names {
		if !allowed(n) {
			out = append(out, n)
		}
	}
	return out
}

// describeFile names the file a call opens, as the object of a sentence:
// `the file "data.txt"`, or "a file whose path is not constant".
func describeFile(vals *analyzer.ValueSet) string {
	if s, ok := vals.ConstString(); ok {
		return "the file " + strconv.Quote(s)
	}
	return "a file whose path is not constant"
}

// isHandle reports whether every value is a file handle (io.stdout,
// io.stderr, a handle from io.open or io.popen).
func isHandle(vals *analyzer.ValueSet) bool {
	if vals.Empty() {
		return false
	}
	for _, v := range vals.Values() {
		switch v.Path() {
		case "io.stdout", "io.stderr", "io.stdin", "io.file", "io.pfile":
		default:
			return false
		}
	}
	return true
}

func runFileWrite(pass *analyzer.Pass) error {
	for _, c := range callsTo(pass, "io.open") {
		mode, desc := classifyMode(c.Arg(1))
		if mode != modeWrite || pathsAllowed(c.Arg(0), pass.Policy.AllowsWrite) {
			continue
		}
		pass.ReportAboutf(callNode(c), notAllowed(c.Arg(0), pass.Policy.AllowsWrite), "io.open opens %s for writing (%s)", describeFile(c.Arg(0)), desc)
	}
	for _, c := range callsTo(pass, "io.output") {
		arg := c.Arg(0)
		if isNil(arg) || isHandle(arg) || pathsAllowed(arg, pass.Policy.AllowsWrite) {
			continue
		}
		pass.ReportAboutf(callNode(c), notAllowed(arg, pass.Policy.AllowsWrite), "io.output redirects io.write to %s", describeFile(arg))
	}
	for _, name := range []string{"io.open", "io.output"} {
		for _, ref := range escapingRefs(pass, name) {
			pass.Reportf(ref.Expr, "%s is passed to code wrklint cannot follow, so the files it writes cannot be checked", name)
		}
	}
	return nil
}

func runFileRead(pass *analyzer.Pass) error {
	for _, c := range callsTo(pass, "io.open") {
		if mode, _ := classifyMode(c.Arg(1)); mode != modeRead || pathsAllowed(c.Arg(0), pass.Policy.AllowsRead) {
			continue
		}
		pass.ReportAboutf(callNode(c), notAllowed(c.Arg(0), pass.Policy.AllowsRead), "io.open reads %s", describeFile(c.Arg(0)))
	}
	for _, name := range []string{"io.lines", "io.input"} {
		for _, c := range callsTo(pass, name) {
			arg := c.Arg(0)
			if isNil(arg) || isHandle(arg) || pathsAllowed(arg, pass.Policy.AllowsRead) {
				continue
			}
			pass.ReportAboutf(callNode(c), notAllowed(arg, pass.Policy.AllowsRead), "%s reads %s", name, describeFile(arg))
		}
		for _, ref := range escapingRefs(pass, name) {
			pass.Reportf(ref.Expr, "%s is passed to code wrklint cannot follow, so the files it reads cannot be checked", name)
		}
	}
	return nil
}
