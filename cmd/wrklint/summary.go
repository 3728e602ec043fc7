package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/report"
)

// summarizeToStderr tells the terminal what a report written to a file
// holds: the findings that fail the run (at or above failOn, as text
// lines), the paths that could not be read, and the summary line naming
// the file. Without it, "wrklint -f sarif -o wrklint.sarif" (the
// wrklint-sarif pre-commit hook) fails a commit without a word.
func summarizeToStderr(w io.Writer, res *analyzer.Result, failOn analyzer.Level, baselined int, output string) {
	bw := bufio.NewWriter(w)
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Suppression != nil || f.Level == analyzer.LevelNone || f.Level < failOn {
			continue
		}
		fmt.Fprintf(bw, "%s:%d:%d: %s %s %s: %s\n", f.File, f.Start.Line, f.Start.Column, f.Level, f.RuleID, f.Name, oneLine(f.Message))
	}
	for _, e := range res.Errors {
		fmt.Fprintf(bw, "wrklint: %s\n", e)
	}
	fmt.Fprintf(bw, "wrklint: %s; report written to %s\n", report.SummaryBaselined(res, baselined), output)
	_ = bw.Flush() // stderr: nowhere left to report a failure
}

// countActive is the number of findings not suppressed by a directive.
func countActive(fs []analyzer.Finding) int {
	n := 0
	for i := range fs {
		if fs[i].Suppression == nil {
			n++
		}
	}
	return n
}

// oneLine keeps a message on its line of stderr.
func oneLine(s string) string {
	out := []rune(s)
	for i, r := range out {
		if r == '\n' || r == '\r' {
			out[i] = ' '
		}
	}
	return string(out)
}
