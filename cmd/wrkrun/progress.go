package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wrklint/wrklint/runner"
	"github.com/wrklint/wrklint/runner/output"
)

// progressLine is the live status line on a terminal's stderr. It redraws
// with a carriage return and blank padding (no terminal escape codes, so
// it works on any terminal) and is cleared before the report.
type progressLine struct {
	w     io.Writer
	total time.Duration
	width int // of the last line drawn
}

func (p *progressLine) update(pr runner.Progress) {
	line := fmt.Sprintf("  %s / %s   %s req/s   p99 %s   %d requests   %d errors",
		pr.Elapsed.Round(time.Second), p.total, output.FormatMetric(pr.Rate),
		output.FormatTimeUS(float64(pr.P99US)), pr.Requests, pr.Errors)
	pad := max(p.width-len(line), 0)
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
	p.width = len(line)
}

// clear erases the line and returns the cursor to its start.
func (p *progressLine) clear() {
	if p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
		p.width = 0
	}
}

// progress returns the line for a run, or nil when it is off: --quiet, or
// stderr is not a terminal (a log file gets no redraws).
func (o *options) progress(total time.Duration) *progressLine {
	if o.guard.quiet || !o.terminal(o.stderr) {
		return nil
	}
	return &progressLine{w: o.stderr, total: total}
}
