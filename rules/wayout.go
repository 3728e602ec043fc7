package rules

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/wrklint/wrklint/analyzer"
)

// Remedy is the narrowest way to let a script through the lint gate for
// one finding: a suppression directive on its line, or an allowance that
// names exactly what the finding is about (the file, not its directory).
type Remedy struct {
	// Line is where Directive goes: at the end of the flagged line, or,
	// when NextLine is set (the line has a comment already), on a line of
	// its own just above it.
	Line      int
	NextLine  bool
	Directive string
	// Allow is the allowance that covers the finding, empty when none can
	// (a path or a name that is not constant, a rule no allowance
	// concerns). Flags and Config say the same for wrkrun's command line
	// and for .wrklint.yml; wrkrun has no flag for modules.
	Allow  analyzer.Policy
	Flags  []string
	Config string
	// Note says what an allowance cannot do for this finding.
	Note string
}

// WayOut returns the remedy for f.
func WayOut(f analyzer.Finding) Remedy {
	r := Remedy{Line: f.Start.Line}
	kind := "ignore"
	if strings.Contains(f.LineText, "--") {
		// A directive must start its own comment; after an existing one it
		// would be part of that comment's text.
		r.NextLine, kind = true, "ignore-next-line"
	}
	r.Directive = fmt.Sprintf("-- wrklint:%s %s -- <why this is safe>", kind, f.RuleID)
	names := f.Subjects
	switch f.RuleID {
	case "WL101", "WL102":
		if len(names) == 0 {
			r.Note = "the path is not a constant, so no allowance can name it"
			break
		}
		key, flag := "write", "--allow-write"
		if f.RuleID == "WL102" {
			key, flag = "read", "--allow-read"
		}
		globs := make([]string, len(names))
		for i, n := range names {
			globs[i] = escapeGlob(n)
			r.Flags = append(r.Flags, flag+" "+shellQuote(globs[i]))
		}
		if key == "write" {
			r.Allow.Write = globs
		} else {
			r.Allow.Read = globs
		}
		r.Config = "allow:\n  " + key + ": " + yamlList(globs) + "\n"
	case "WL201":
		if len(names) == 0 {
			r.Note = "the variable's name is not a constant, so no allowance can name it"
			break
		}
		globs := make([]string, len(names))
		for i, n := range names {
			globs[i] = escapeGlob(n)
			r.Flags = append(r.Flags, "--allow-env "+shellQuote(globs[i]))
		}
		r.Allow.Env = globs
		r.Config = "allow:\n  env: " + yamlList(globs) + "\n"
	case "WL301":
		if len(names) == 0 {
			r.Note = "no allowance covers this use of the module system"
			break
		}
		globs := make([]string, len(names))
		for i, n := range names {
			globs[i] = escapeGlob(n)
		}
		r.Allow.Modules = globs
		r.Config = "allow:\n  modules: " + yamlList(globs) + "\n"
		r.Note = "wrkrun has no command-line flag for modules: only .wrklint.yml allows them"
	case "WL701":
		// The lint gate has no target allowance: load sent elsewhere is a
		// review decision, and the sandbox checks the target again.
		r.Note = "no allowance lets the lint gate accept another target; once reviewed, suppress the finding"
		if len(names) > 0 {
			r.Note += ", and let the sandbox connect there with --allow-target " + shellQuote(names[0]) +
				" or targets: {allow: " + yamlList(names[:1]) + "} in .wrklint.yml"
		}
	default:
		r.Note = "no allowance concerns " + f.RuleID + "; change the script or suppress the finding"
	}
	return r
}

// WriteWayOut writes the remedy of each finding, for a refused script.
func WriteWayOut(w io.Writer, findings []analyzer.Finding) error {
	if len(findings) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("To run it anyway, for each finding (narrowest first):\n")
	for _, f := range findings {
		r := WayOut(f)
		fmt.Fprintf(&b, "  %s:%d %s:\n", f.File, f.Start.Line, f.RuleID)
		where := fmt.Sprintf("at the end of line %d", r.Line)
		if r.NextLine {
			where = fmt.Sprintf("on a line of its own above line %d", r.Line)
		}
		fmt.Fprintf(&b, "    comment %s: %s\n", where, r.Directive)
		if len(r.Flags) > 0 {
			fmt.Fprintf(&b, "    or flag: %s\n", strings.Join(r.Flags, " "))
		}
		if r.Config != "" {
			b.WriteString("    or .wrklint.yml:\n")
			for _, l := range strings.Split(strings.TrimSuffix(r.Config, "\n"), "\n") {
				b.WriteString("      " + l + "\n")
			}
		}
		if r.Note != "" {
			b.WriteString("    (" + r.Note + ")\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("writing the way out: %w", err)
	}
	return nil
}

// escapeGlob makes a name match itself only: allowances are globs.
func escapeGlob(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:@%+=,-]+$`)

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// yamlList is a YAML flow sequence of double-quoted strings.
func yamlList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
