package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/rules"
)

// fakeRules is the catalogue the command tests run with, so that they do
// not change whenever a real rule is added. The rules have no Run: the
// tests that need findings inject them through options.Analyze.
func fakeRules() []*analyzer.Rule {
	return []*analyzer.Rule{
		{
			ID: "WL901", Name: "FakeExec", Level: analyzer.LevelError, CWE: 78,
			Title:       "Do not run commands",
			Description: "A fake rule for the command tests.",
			Help:        "Remove the `os.execute` call.",
			Bad:         "os.execute(\"id\")\nprint(1)\n",
			Good:        "print(\"id\")\n",
		},
		{ID: "WL902", Name: "FakeEnv", Level: analyzer.LevelWarning, CWE: 526, Title: "Environment read"},
		{ID: "WL903", Name: "FakeNote", Level: analyzer.LevelNote, Title: "A note"},
	}
}

const cleanLua = "request = function()\n  return wrk.format(\"GET\", \"/\")\nend\n"

func finding(id string, level analyzer.Level, file string, line int) analyzer.Finding {
	names := map[string]string{"WL901": "FakeExec", "WL902": "FakeEnv", "WL903": "FakeNote"}
	return analyzer.Finding{
		RuleID: id, Name: names[id], Level: level, File: file,
		Start:   analyzer.Position{Line: line, Column: 3},
		End:     analyzer.Position{Line: line, Column: 13},
		Message: "fake " + strings.ToLower(level.String()) + " message",
	}
}

type cliCase struct {
	name  string
	files map[string]string // created under {dir}; a value "symlink:T" makes a symlink to T
	args  []string          // "{dir}" is replaced by the temporary directory
	env   map[string]string
	tty   bool
	// extra findings added to what the real driver (with the fake rules)
	// returns; "{dir}" in File is replaced.
	findings []analyzer.Finding
	wantCode exitCode
	wantOut  []string // substrings of stdout ("{dir}" replaced)
	notOut   []string
	wantErr  []string // substrings of stderr
	// wantErrLines, when positive, is the exact number of lines on stderr.
	wantErrLines int
	quietStderr  bool // stderr must be empty
}

func TestCommand(t *testing.T) {
	tests := []cliCase{
		{
			name:        "clean file",
			files:       map[string]string{"a.lua": cleanLua},
			args:        []string{"{dir}/a.lua"},
			wantCode:    exitOK,
			wantOut:     []string{"no findings in 1 file\n"},
			quietStderr: true,
		},
		{
			name:     "directory searched recursively for lua files only",
			files:    map[string]string{"a.lua": cleanLua, "sub/b.lua": cleanLua, "notes.txt": "x", "sub/c.py": "x"},
			args:     []string{"{dir}"},
			wantCode: exitOK,
			wantOut:  []string{"no findings in 2 files\n"},
		},
		{
			name:     "error finding exits 1",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"{dir}"},
			findings: []analyzer.Finding{finding("WL901", analyzer.LevelError, "{dir}/a.lua", 2)},
			wantCode: exitFindings,
			wantOut:  []string{"{dir}/a.lua:2:3: error WL901 FakeExec: fake error message\n", "1 finding (1 error) in 1 file\n"},
		},
		{
			name:  "suppressed findings are neither shown nor counted",
			files: map[string]string{"a.lua": cleanLua},
			args:  []string{"{dir}"},
			findings: []analyzer.Finding{func() analyzer.Finding {
				f := finding("WL901", analyzer.LevelError, "{dir}/a.lua", 2)
				f.Suppression = &analyzer.Suppression{Kind: "inSource", Justification: "test"}
				return f
			}()},
			wantCode: exitOK,
			wantOut:  []string{"no findings in 1 file; 1 suppressed\n"},
			notOut:   []string{"WL901"},
		},
		{
			name:     "warning below default fail-on exits 0",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"{dir}"},
			findings: []analyzer.Finding{finding("WL902", analyzer.LevelWarning, "{dir}/a.lua", 1)},
			wantCode: exitOK,
			wantOut:  []string{"warning WL902 FakeEnv", "1 finding (1 warning) in 1 file"},
		},
		{
			name:     "warning with --fail-on warning exits 1",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"--fail-on", "warning", "{dir}"},
			findings: []analyzer.Finding{finding("WL902", analyzer.LevelWarning, "{dir}/a.lua", 1)},
			wantCode: exitFindings,
		},
		{
			name:     "note with --fail-on warning exits 0",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"--fail-on=warning", "{dir}"},
			findings: []analyzer.Finding{finding("WL903", analyzer.LevelNote, "{dir}/a.lua", 1)},
			wantCode: exitOK,
		},
		{
			name:     "note with --fail-on note exits 1",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"--fail-on=NOTE", "{dir}"},
			findings: []analyzer.Finding{finding("WL903", analyzer.LevelNote, "{dir}/a.lua", 1)},
			wantCode: exitFindings,
		},
		{
			name:     "missing path exits 3 and the other files are still analysed",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"{dir}/missing.lua", "{dir}/a.lua"},
			wantCode: exitUnreadable,
			wantOut:  []string{"{dir}/missing.lua: no such file or directory\n", "no findings in 1 file; 1 path could not be read\n"},
			// The text report on stdout names the path; stderr stays quiet.
			quietStderr: true,
		},
		{
			name:     "directory without lua files exits 3",
			files:    map[string]string{"empty/readme.txt": "x"},
			args:     []string{"{dir}/empty"},
			wantCode: exitUnreadable,
			wantOut:  []string{"{dir}/empty: no Lua files"},
		},
		{
			name:     "broken symlink exits 3",
			files:    map[string]string{"a.lua": cleanLua, "b.lua": "symlink:nowhere.lua"},
			args:     []string{"{dir}"},
			wantCode: exitUnreadable,
			wantOut:  []string{"{dir}/b.lua: ", "no findings in 1 file; 1 path could not be read"},
		},
		{
			name:     "unreadable path wins over findings",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"{dir}/a.lua", "{dir}/missing"},
			findings: []analyzer.Finding{finding("WL901", analyzer.LevelError, "{dir}/a.lua", 2)},
			wantCode: exitUnreadable,
			wantOut:  []string{"error WL901", "{dir}/missing: no such file or directory"},
		},
		{
			name:         "json with a missing path also says so on stderr",
			files:        map[string]string{"a.lua": cleanLua},
			args:         []string{"-f", "json", "{dir}/a.lua", "{dir}/missing.lua"},
			wantCode:     exitUnreadable,
			wantOut:      []string{`"file": "{dir}/missing.lua"`, `"findings": []`},
			wantErr:      []string{"wrklint: {dir}/missing.lua: no such file or directory\n"},
			wantErrLines: 1,
		},
		{
			name:     "json findings",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"--format=json", "{dir}"},
			findings: []analyzer.Finding{finding("WL901", analyzer.LevelError, "{dir}/a.lua", 2)},
			wantCode: exitFindings,
			wantOut:  []string{`"version": "vtest"`, `"rule": "WL901"`, `"end_column": 13`, `"errors": []`},
		},
		{
			name:     "sarif",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"-f", "sarif", "{dir}"},
			findings: []analyzer.Finding{finding("WL901", analyzer.LevelError, "{dir}/a.lua", 2)},
			wantCode: exitFindings,
			wantOut:  []string{`"version": "2.1.0"`, `"ruleId": "WL901"`, `"id": "WL903"`, `"uri": "a.lua"`, `"uriBaseId": "%SRCROOT%"`},
		},
		{
			name:         "sarif with a missing path also says so on stderr",
			files:        map[string]string{"a.lua": cleanLua},
			args:         []string{"--format=sarif", "{dir}/a.lua", "{dir}/gone.lua"},
			wantCode:     exitUnreadable,
			wantErr:      []string{"wrklint: {dir}/gone.lua: no such file or directory\n"},
			wantErrLines: 1,
		},
		{
			name:     "unknown format",
			args:     []string{"--format", "xml"},
			wantCode: exitUsage,
			wantErr:  []string{`unknown format "xml" (want text, json, sarif, github or junit)`, "Run 'wrklint --help'"},
		},
		{
			name:     "unknown fail-on level",
			args:     []string{"--fail-on", "critical"},
			wantCode: exitUsage,
			wantErr:  []string{`unknown level "critical"`},
		},
		{
			name:         "unknown flag",
			args:         []string{"--frobnicate"},
			wantCode:     exitUsage,
			wantErr:      []string{"wrklint: unknown flag: --frobnicate\n", "Run 'wrklint --help'"},
			wantErrLines: 2,
		},
		{
			name:         "missing baseline",
			args:         []string{"--baseline", "{dir}/old.json", "{dir}"},
			wantCode:     exitUsage,
			wantErr:      []string{"wrklint: reading baseline: open {dir}/old.json: no such file or directory\n"},
			wantErrLines: 1,
		},
		{
			name:     "baseline that is not a report",
			files:    map[string]string{"old.json": `{"a": 1}`},
			args:     []string{"--baseline", "{dir}/old.json", "{dir}"},
			wantCode: exitUsage,
			wantErr:  []string{"wrklint: baseline {dir}/old.json: "},
		},
		{
			name:     ".wrklint.yml found from the working directory sets fail-on",
			files:    map[string]string{".wrklint.yml": "fail-on: warning\n", "a.lua": cleanLua},
			args:     []string{"{dir}/a.lua"},
			findings: []analyzer.Finding{finding("WL902", analyzer.LevelWarning, "{dir}/a.lua", 1)},
			wantCode: exitFindings,
		},
		{
			name:     "--fail-on on the command line wins over the file",
			files:    map[string]string{".wrklint.yml": "fail-on: warning\n", "a.lua": cleanLua},
			args:     []string{"--fail-on", "error", "{dir}/a.lua"},
			findings: []analyzer.Finding{finding("WL902", analyzer.LevelWarning, "{dir}/a.lua", 1)},
			wantCode: exitOK,
		},
		{
			name:     "--config names the file",
			files:    map[string]string{"ci/lint.yml": "fail-on: note\n", "a.lua": cleanLua},
			args:     []string{"--config", "{dir}/ci/lint.yml", "{dir}/a.lua"},
			findings: []analyzer.Finding{finding("WL903", analyzer.LevelNote, "{dir}/a.lua", 1)},
			wantCode: exitFindings,
		},
		{
			name:     "exclude patterns of the file",
			files:    map[string]string{".wrklint.yml": "exclude: [\"vendor/**\"]\n", "a.lua": cleanLua, "vendor/lib.lua": cleanLua},
			args:     []string{"{dir}"},
			wantCode: exitOK,
			wantOut:  []string{"no findings in 1 file\n"},
		},
		{
			name:         "missing --config file",
			args:         []string{"--config", "{dir}/nope.yml", "{dir}"},
			wantCode:     exitUsage,
			wantErr:      []string{"wrklint: {dir}/nope.yml: cannot read: no such file or directory\n"},
			wantErrLines: 1,
		},
		{
			name:     "invalid configuration: every error named, each line prefixed",
			files:    map[string]string{".wrklint.yml": "fail-on: sometimes\ncolour: red\n", "a.lua": cleanLua},
			args:     []string{"{dir}/a.lua"},
			wantCode: exitUsage,
			wantErr: []string{
				"wrklint: {dir}/.wrklint.yml:1: ",
				"wrklint: {dir}/.wrklint.yml:2: unknown key \"colour\"",
			},
			wantErrLines: 2,
		},
		{
			name:     "unknown rule IDs in the file are a warning",
			files:    map[string]string{".wrklint.yml": "rules:\n  disable: [WL999, WL902]\n", "a.lua": cleanLua},
			args:     []string{"{dir}/a.lua"},
			wantCode: exitOK,
			wantErr:  []string{"wrklint: warning: {dir}/.wrklint.yml names rules this version does not have: WL999\n"},
		},
		{
			name:     "color on a terminal",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"{dir}"},
			tty:      true,
			findings: []analyzer.Finding{finding("WL901", analyzer.LevelError, "{dir}/a.lua", 2)},
			wantCode: exitFindings,
			wantOut:  []string{"\x1b[1mWL901\x1b[22m"},
		},
		{
			name:     "no color with --no-color",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"--no-color", "{dir}"},
			tty:      true,
			findings: []analyzer.Finding{finding("WL901", analyzer.LevelError, "{dir}/a.lua", 2)},
			wantCode: exitFindings,
			notOut:   []string{"\x1b["},
		},
		{
			name:     "no color with NO_COLOR",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"{dir}"},
			env:      map[string]string{"NO_COLOR": "1"},
			tty:      true,
			findings: []analyzer.Finding{finding("WL901", analyzer.LevelError, "{dir}/a.lua", 2)},
			wantCode: exitFindings,
			notOut:   []string{"\x1b["},
		},
		{
			name:     "no color when not a terminal",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"{dir}"},
			findings: []analyzer.Finding{finding("WL901", analyzer.LevelError, "{dir}/a.lua", 2)},
			wantCode: exitFindings,
			wantOut:  []string{"error WL901 FakeExec"},
			notOut:   []string{"\x1b["},
		},
		{
			name:     "output to a file writes nothing to stdout",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"-o", "{dir}/report.txt", "{dir}/a.lua"},
			tty:      true,
			wantCode: exitOK,
			notOut:   []string{"findings"},
		},
		{
			name:     "output file that cannot be created",
			files:    map[string]string{"a.lua": cleanLua},
			args:     []string{"-o", "{dir}/no/such/dir/report.txt", "{dir}/a.lua"},
			wantCode: exitUsage,
			wantErr:  []string{"wrklint: cannot create the report file {dir}/no/such/dir/report.txt: no such file or directory\n"},
		},
		{
			name:     "version",
			args:     []string{"--version"},
			wantCode: exitOK,
			wantOut:  []string{"wrklint vtest\n"},
		},
		{
			name:     "no -v shorthand",
			args:     []string{"-v"},
			wantCode: exitUsage,
			wantErr:  []string{"unknown shorthand flag: 'v'"},
		},
		{
			name:     "help",
			args:     []string{"--help"},
			wantCode: exitOK,
			wantOut:  []string{"--fail-on", "--format", "--config", "--baseline", "Exit codes:"},
		},
		{
			name:     "rules lists the catalogue",
			args:     []string{"rules"},
			wantCode: exitOK,
			wantOut: []string{"" +
				"ID     NAME      LEVEL    CWE      SUMMARY\n" +
				"WL901  FakeExec  error    CWE-78   Do not run commands\n" +
				"WL902  FakeEnv   warning  CWE-526  Environment read\n" +
				"WL903  FakeNote  note     -        A note\n"},
		},
		{
			name:     "rules markdown",
			args:     []string{"rules", "--markdown"},
			wantCode: exitOK,
			wantOut:  []string{"## WL901 FakeExec\n", "[WL902](#wl902)", "<a id=\"wl901\"></a>"},
		},
		{
			name:     "rules takes no arguments",
			args:     []string{"rules", "extra"},
			wantCode: exitUsage,
			wantErr:  []string{"wrklint rules takes no arguments"},
		},
		{
			name:     "explain by ID",
			args:     []string{"explain", "WL901"},
			wantCode: exitOK,
			wantOut: []string{"WL901 FakeExec: Do not run commands\n", "Default level: error\n", "CWE-78", "A fake rule for the command tests.", "Remove the `os.execute` call.",
				"\nReported:\n\n    os.execute(\"id\")\n    print(1)\n", "\nNot reported:\n\n    print(\"id\")\n"},
		},
		{
			name:     "explain by name in lower case",
			args:     []string{"explain", "fakeenv"},
			wantCode: exitOK,
			wantOut:  []string{"WL902 FakeEnv: Environment read\n"},
		},
		{
			name:         "explain an unknown rule lists the valid IDs",
			args:         []string{"explain", "WL999"},
			wantCode:     exitUsage,
			wantErr:      []string{`wrklint: unknown rule "WL999"; valid IDs: WL901, WL902, WL903`},
			wantErrLines: 2,
		},
		{
			name:     "explain needs one argument",
			args:     []string{"explain"},
			wantCode: exitUsage,
			wantErr:  []string{"explain takes exactly one rule ID"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tt.files)
			expand := func(s string) string { return strings.ReplaceAll(s, "{dir}", dir) }
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = expand(a)
			}
			opts, stdout, stderr := testOptions(dir, tt.env, tt.tty)
			if len(tt.findings) > 0 {
				extra := make([]analyzer.Finding, len(tt.findings))
				for i, f := range tt.findings {
					f.File = expand(f.File)
					extra[i] = f
				}
				opts.Analyze = func(cfg analyzer.Options, paths []string) *analyzer.Result {
					res := analyzer.Run(cfg, paths)
					res.Findings = append(res.Findings, extra...)
					analyzer.SortFindings(res.Findings)
					return res
				}
			}

			code := execute(args, opts)

			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout, stderr)
			}
			for _, s := range tt.wantOut {
				if !strings.Contains(stdout.String(), expand(s)) {
					t.Errorf("stdout lacks %q:\n%s", expand(s), stdout)
				}
			}
			for _, s := range tt.notOut {
				if strings.Contains(stdout.String(), expand(s)) {
					t.Errorf("stdout has %q:\n%s", expand(s), stdout)
				}
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(stderr.String(), expand(s)) {
					t.Errorf("stderr lacks %q:\n%s", expand(s), stderr)
				}
			}
			if n := strings.Count(stderr.String(), "\n"); tt.wantErrLines > 0 && n != tt.wantErrLines {
				t.Errorf("stderr has %d lines, want %d:\n%s", n, tt.wantErrLines, stderr)
			}
			if tt.quietStderr && stderr.Len() > 0 {
				t.Errorf("stderr is not empty:\n%s", stderr)
			}
		})
	}
}

// TestOutputFile checks what -o writes: the whole report, without color
// even when stdout is a terminal. The report file itself is not analysed,
// even when it is a *.lua file inside the directory being linted.
func TestOutputFile(t *testing.T) {
	tests := []struct {
		name   string
		format string
		out    string
		want   string
	}{
		{"text", "text", "report.out", "{dir}/a.lua:2:3: error WL901 FakeExec: fake error message\n1 finding (1 error) in 1 file\n"},
		{"json", "json", "report.out", `"rule": "WL901"`},
		{"report named like a script", "text", "report.lua", "1 finding (1 error) in 1 file\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"a.lua": cleanLua})
			opts, stdout, _ := testOptions(dir, nil, true)
			opts.Analyze = func(cfg analyzer.Options, paths []string) *analyzer.Result {
				res := analyzer.Run(cfg, paths)
				res.Findings = append(res.Findings, finding("WL901", analyzer.LevelError, filepath.Join(dir, "a.lua"), 2))
				return res
			}
			out := filepath.Join(dir, tt.out)
			if code := execute([]string{"-f", tt.format, "-o", out, dir}, opts); code != exitFindings {
				t.Errorf("exit code %d, want %d", code, exitFindings)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.ReplaceAll(tt.want, "{dir}", dir); !strings.Contains(string(got), want) {
				t.Errorf("report file lacks %q:\n%s", want, got)
			}
			if bytes.Contains(got, []byte("\x1b[")) {
				t.Errorf("report file has ANSI escapes:\n%q", got)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout is not empty:\n%s", stdout)
			}
		})
	}
}

// TestBaseline checks that findings of an earlier JSON or SARIF report are
// left out, including for the exit code, and new ones are not.
func TestBaseline(t *testing.T) {
	tests := []struct {
		name     string
		format   string
		now      []int // lines of WL901 findings in the second run
		wantCode exitCode
		wantOut  string
	}{
		{"json, nothing new", "json", []int{2}, exitOK, "no findings in 1 file; 1 hidden by the baseline\n"},
		{"sarif, nothing new", "sarif", []int{2}, exitOK, "no findings in 1 file; 1 hidden by the baseline\n"},
		{"json, one new", "json", []int{2, 3}, exitFindings, "a.lua:3:3: error WL901 FakeExec"},
		{"sarif, one new", "sarif", []int{2, 3}, exitFindings, "1 finding (1 error) in 1 file; 1 hidden by the baseline\n"},
		{"json, one fixed", "json", nil, exitOK, "no findings in 1 file\n"},
	}
	lines := []string{"", "local a = os.execute", "local b = io.popen"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"a.lua": cleanLua})
			t.Chdir(dir) // SARIF and baselines store paths relative to the working directory
			run := func(findingLines []int, args ...string) (exitCode, string) {
				opts, stdout, stderr := testOptions(dir, nil, false)
				opts.Analyze = func(cfg analyzer.Options, paths []string) *analyzer.Result {
					res := analyzer.Run(cfg, paths)
					for _, l := range findingLines {
						f := finding("WL901", analyzer.LevelError, "a.lua", l)
						f.LineText = lines[l-1]
						res.Findings = append(res.Findings, f)
					}
					return res
				}
				code := execute(args, opts)
				return code, stdout.String() + stderr.String()
			}
			base := filepath.Join(dir, "base."+tt.format)
			if code, out := run([]int{2}, "-f", tt.format, "-o", base, "."); code != exitFindings {
				t.Fatalf("writing the baseline: exit code %d\n%s", code, out)
			}
			code, out := run(tt.now, "--baseline", base, ".")
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d\n%s", code, tt.wantCode, out)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("output lacks %q:\n%s", tt.wantOut, out)
			}
		})
	}
}

// TestDefaultPath checks that no path means the current directory.
func TestDefaultPath(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.lua": cleanLua, "lib/b.lua": cleanLua})
	t.Chdir(dir)
	opts, stdout, stderr := testOptions(dir, nil, false)
	if code := execute(nil, opts); code != exitOK {
		t.Errorf("exit code %d, want 0; stderr: %s", code, stderr)
	}
	if want := "no findings in 2 files\n"; stdout.String() != want {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
}

// TestRealRules runs the real catalogue over the bundled scripts. The
// rules change while the analyzer grows, so it checks only the shape of
// the result: a valid exit code, well-formed JSON, sane positions.
func TestRealRules(t *testing.T) {
	all := rules.All()
	opts := defaultOptions()
	var stdout, stderr bytes.Buffer
	opts.Stdout, opts.Stderr = &stdout, &stderr
	code := execute([]string{"-f", "json", filepath.Join("..", "..", "testdata", "scripts")}, opts)
	if code != exitOK && code != exitFindings {
		t.Fatalf("exit code %d, want 0 or 1; stderr:\n%s", code, stderr.String())
	}
	var rep struct {
		Version  string `json:"version"`
		Findings []struct {
			Rule, Name, Level, File, Message string
			Line, Column                     int
			EndLine                          int `json:"end_line"`
			EndColumn                        int `json:"end_column"`
		} `json:"findings"`
		Errors []struct{ File, Message string } `json:"errors"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
	}
	if rep.Findings == nil || rep.Errors == nil {
		t.Errorf("findings and errors must be arrays, not null:\n%s", stdout.String())
	}
	if len(rep.Errors) != 0 {
		t.Errorf("unexpected read errors: %+v", rep.Errors)
	}
	known := map[string]bool{}
	for _, r := range all {
		known[r.ID] = true
	}
	id := regexp.MustCompile(`^WL\d{3}$`)
	for _, f := range rep.Findings {
		if !id.MatchString(f.Rule) || !known[f.Rule] {
			t.Errorf("finding with unknown rule %q: %+v", f.Rule, f)
		}
		if f.Line < 1 || f.Column < 1 || f.EndLine < f.Line || (f.EndLine == f.Line && f.EndColumn < f.Column) {
			t.Errorf("bad position in %+v", f)
		}
		if f.Level != "error" && f.Level != "warning" && f.Level != "note" {
			t.Errorf("bad level in %+v", f)
		}
		if _, err := os.Stat(f.File); err != nil {
			t.Errorf("finding names a file that does not exist: %v", err)
		}
	}

	stdout.Reset()
	if code := execute([]string{"rules"}, opts); code != exitOK {
		t.Fatalf("wrklint rules: exit code %d", code)
	}
	for _, r := range all {
		if !strings.Contains(stdout.String(), r.ID+"  ") {
			t.Errorf("wrklint rules does not list %s", r.ID)
		}
	}
}

func testOptions(dir string, env map[string]string, tty bool) (*options, *bytes.Buffer, *bytes.Buffer) {
	var stdout, stderr bytes.Buffer
	return &options{
		Stdout:     &stdout,
		Stderr:     &stderr,
		Rules:      fakeRules(),
		Version:    "vtest",
		Getenv:     func(k string) string { return env[k] },
		Getwd:      func() (string, error) { return dir, nil },
		IsTerminal: func(w io.Writer) bool { return tty && w == io.Writer(&stdout) },
		Analyze:    analyzer.Run,
	}, &stdout, &stderr
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "symlink:"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReportWriteFailure checks that a report that cannot be written is
// an error (exit 2) and not a silent success.
func TestReportWriteFailure(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	tests := []struct{ name, format string }{
		{"text", "text"},
		{"json", "json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"a.lua": cleanLua})
			opts, _, stderr := testOptions(dir, nil, false)
			code := execute([]string{"-f", tt.format, "-o", "/dev/full", dir}, opts)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr.String(), "no space left on device") {
				t.Errorf("stderr does not explain the failure:\n%s", stderr)
			}
		})
	}
}

// TestConfigReachesAnalyzer checks that what .wrklint.yml says about rules
// and allowances is handed to the analyzer.
func TestConfigReachesAnalyzer(t *testing.T) {
	const conf = `rules:
  disable: [WL903]
  level: {WL902: error}
allow:
  env: [BENCH_TOKEN, "BENCH_*"]
  read: ["data/*.txt"]
  write: ["reports/"]
  modules: [cjson]
`
	tests := []struct {
		name  string
		check func(t *testing.T, cfg analyzer.Options)
	}{
		{"rules passed", func(t *testing.T, cfg analyzer.Options) {
			if len(cfg.Rules) != len(fakeRules()) {
				t.Errorf("got %d rules, want %d", len(cfg.Rules), len(fakeRules()))
			}
		}},
		{"disabled", func(t *testing.T, cfg analyzer.Options) {
			if !cfg.Disabled["WL903"] || len(cfg.Disabled) != 1 {
				t.Errorf("Disabled = %v, want WL903 only", cfg.Disabled)
			}
		}},
		{"levels", func(t *testing.T, cfg analyzer.Options) {
			if cfg.Levels["WL902"] != analyzer.LevelError || len(cfg.Levels) != 1 {
				t.Errorf("Levels = %v, want WL902: error", cfg.Levels)
			}
		}},
		{"policy", func(t *testing.T, cfg analyzer.Options) {
			p := cfg.Policy
			if strings.Join(p.Env, ",") != "BENCH_TOKEN,BENCH_*" || strings.Join(p.Read, ",") != "data/*.txt" ||
				strings.Join(p.Write, ",") != "reports/" || strings.Join(p.Modules, ",") != "cjson" {
				t.Errorf("Policy = %+v", p)
			}
		}},
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{".wrklint.yml": conf, "a.lua": cleanLua})
	opts, _, stderr := testOptions(dir, nil, false)
	var got *analyzer.Options
	opts.Analyze = func(cfg analyzer.Options, paths []string) *analyzer.Result {
		got = &cfg
		return &analyzer.Result{Files: 1}
	}
	if code := execute([]string{dir}, opts); code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	if got == nil {
		t.Fatal("the analyzer was not called")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, *got) })
	}
}

// TestReportReplacedWhole checks that -o writes the report through a
// temporary file: a run that fails leaves the previous report intact and
// no temporary file behind, and a successful run replaces it.
func TestReportReplacedWhole(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"s/a.lua": cleanLua})
	report := filepath.Join(dir, "report.json")
	if err := os.WriteFile(report, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts, _, _ := testOptions(dir, nil, false)
	// A failing run (here: a configuration that cannot be read).
	if code := execute([]string{"-f", "json", "-o", report, "--config", filepath.Join(dir, "missing.yml"), filepath.Join(dir, "s")}, opts); code != exitUsage {
		t.Fatalf("exit code %d, want %d", code, exitUsage)
	}
	if got, _ := os.ReadFile(report); string(got) != "previous" {
		t.Errorf("a failed run changed the report to %q", got)
	}
	opts, _, _ = testOptions(dir, nil, false)
	if code := execute([]string{"-f", "json", "-o", report, filepath.Join(dir, "s")}, opts); code != exitOK {
		t.Fatalf("exit code %d, want 0", code)
	}
	got, err := os.ReadFile(report)
	if err != nil || !strings.HasPrefix(string(got), "{") {
		t.Errorf("report not replaced: %q, %v", got, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	if info, err := os.Stat(report); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("report mode %v, %v; want 0644", info.Mode(), err)
	}
}

// TestModuleProgram lints a script that hands the response body to a
// helper module: the finding is in the module, reported once whether the
// script or the whole directory is linted, and wrklint exits 1.
func TestModuleProgram(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.lua":   "local h = require(\"helper\")\nfunction response(status, headers, body)\n  h.leak(body)\nend\n",
		"helper.lua": "local M = {}\nfunction M.leak(x)\n  print(x)\nend\nreturn M\n",
	})
	for _, path := range []string{filepath.Join(dir, "main.lua"), dir} {
		opts := defaultOptions()
		var stdout, stderr bytes.Buffer
		opts.Stdout, opts.Stderr = &stdout, &stderr
		code := execute([]string{"--no-color", path}, opts)
		want := filepath.Join(dir, "helper.lua") + ":3:3: error WL501 ResponseDataOutput: response body from line 2 of " +
			filepath.Join(dir, "main.lua") + " reaches print\n"
		if code != exitFindings || !strings.HasPrefix(stdout.String(), want) || strings.Count(stdout.String(), "WL501") != 1 {
			t.Errorf("wrklint %s: exit %d, stdout:\n%s\nwant one finding:\n%s", path, code, stdout.String(), want)
		}
	}
}
