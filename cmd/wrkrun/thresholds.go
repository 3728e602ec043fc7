package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/wrklint/wrklint/runner/htmlreport"
	"github.com/wrklint/wrklint/runner/output"
	"github.com/wrklint/wrklint/runner/stats"
	"github.com/wrklint/wrklint/runner/threshold"
)

// exitThreshold is the exit status of a run that failed a threshold, or
// of a comparison that found a regression (k6's convention).
const exitThreshold = 99

// resultOptions are the flags that act on a finished result: thresholds,
// the time series' interval and the HTML report.
type resultOptions struct {
	thresholds []string
	abortOn    []string // --abort-on: conditions that stop the run (runner/breaker)
	interval   time.Duration
	htmlPath   string
	html       *os.File // htmlPath opened before the run (openHTML)
}

// openHTML creates --html's file before the run: a path that cannot be
// written fails at once, and the confined process (Landlock) opens nothing
// after the run.
func (r *resultOptions) openHTML(prefix string) (func(), error) {
	if r.htmlPath == "" {
		return func() {}, nil
	}
	f, err := createPrivate(r.htmlPath) // mode 0600: it shows the configuration
	if err != nil {
		return nil, &codeError{exitError, fmt.Errorf("%s: --html: %w", prefix, err)}
	}
	r.html = f
	return func() { _ = f.Close() }, nil
}

func resultLongFlags() []string { return []string{"threshold", "interval", "html", "abort-on"} }

func addResultFlags(f *pflag.FlagSet, r *resultOptions, run bool) {
	f.StringArrayVar(&r.thresholds, "threshold", nil, `Pass/fail criterion "METRIC OP VALUE", e.g. "p99 < 200ms" (repeatable; exit 99 when one fails)`)
	if run {
		f.Var(timeValue{&r.interval}, "interval", "Length of the time series' intervals in --json and --html (1s)")
		f.StringArrayVar(&r.abortOn, "abort-on", nil, `Stop the load when "METRIC OP VALUE" holds, checked every second (repeatable; exit 99; "none": no breaker at all)`)
	}
	f.StringVar(&r.htmlPath, "html", "", "Write a self-contained HTML report with charts to FILE")
}

// minInterval is the engine's sampling period: counters reach the series
// at its ticks.
const minInterval = 100 * time.Millisecond

// seriesInterval validates --interval against the run's duration.
func (r *resultOptions) seriesInterval(duration time.Duration) (time.Duration, error) {
	iv := r.interval
	if iv == 0 {
		iv = time.Second
	}
	if iv < minInterval {
		return 0, &usageError{fmt.Sprintf("wrkrun: --interval %s: the shortest interval is %s", iv, minInterval)}
	}
	if n := duration / iv; n >= stats.MaxIntervals {
		return 0, &usageError{fmt.Sprintf("wrkrun: --interval %s: %d intervals in %s; at most %d", iv, n, duration, stats.MaxIntervals-1)}
	}
	return iv, nil
}

// parseThresholds reads the thresholds of the configuration file
// (fromConfig: the thresholds: entries of .wrklint.yml, judged first) and
// of --threshold: a mistake is a usage error (exit 1) that shows where it
// is and where it came from.
func (r *resultOptions) parseThresholds(prefix string, fromConfig []string) ([]threshold.Threshold, error) {
	fromFile, err := threshold.ParseAll(fromConfig)
	if err != nil {
		return nil, &codeError{exitError, fmt.Errorf("%s: .wrklint.yml thresholds: %w", prefix, err)}
	}
	ts, err := threshold.ParseAll(r.thresholds)
	if err != nil {
		return nil, &codeError{exitError, fmt.Errorf("%s: --%w", prefix, err)}
	}
	return append(fromFile, ts...), nil
}

// needResult reports whether the run must build its JSON result even
// without --json.
func (r *resultOptions) needResult(ts []threshold.Threshold) bool {
	return len(ts) > 0 || r.htmlPath != ""
}

// finishResult evaluates the thresholds on res, prints their verdicts
// after the report, and writes the HTML report. It returns exit 99's error
// when a threshold failed.
func finishResult(w io.Writer, prefix string, res *output.Result, ts []threshold.Threshold, html *os.File) error {
	if len(ts) > 0 {
		res.Thresholds = threshold.Evaluate(ts, res)
		if err := writeThresholds(w, res.Thresholds); err != nil {
			return &codeError{exitError, fmt.Errorf("%s: writing report: %w", prefix, err)}
		}
	}
	if html != nil {
		if err := writeHTMLTo(html, []*output.Result{res}, []string{"this run"}); err != nil {
			return &codeError{exitError, fmt.Errorf("%s: --html: %w", prefix, err)}
		}
	}
	return thresholdError(prefix, res.Thresholds)
}

// thresholdError is exit 99's error when a verdict failed, else nil.
func thresholdError(prefix string, vs []output.ResultThreshold) error {
	if !threshold.Failed(vs) {
		return nil
	}
	failed := 0
	for _, v := range vs {
		if !v.Passed {
			failed++
		}
	}
	return &codeError{exitThreshold, fmt.Errorf("%s: %d of %d thresholds failed", prefix, failed, len(vs))}
}

func writeThresholds(w io.Writer, vs []output.ResultThreshold) error {
	if _, err := fmt.Fprintln(w, "Thresholds:"); err != nil {
		return err
	}
	for _, v := range vs {
		mark := "✓"
		if !v.Passed {
			mark = "✗"
		}
		if _, err := fmt.Fprintf(w, "  %s %-24s %s = %s\n", mark, v.Expression, v.Metric, threshold.Format(v)); err != nil {
			return err
		}
	}
	return nil
}

// writeHTML renders results into path (mode 0600: it shows the
// configuration and the lint verdict).
func writeHTML(path string, results []*output.Result, labels []string) error {
	f, err := createPrivate(path)
	if err != nil {
		return err
	}
	return writeHTMLTo(f, results, labels)
}

// writeHTMLTo renders into f and closes it, reporting a failed close (a
// full disk).
func writeHTMLTo(f *os.File, results []*output.Result, labels []string) error {
	if err := htmlreport.Write(f, results, labels); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", f.Name(), err)
	}
	return nil
}
