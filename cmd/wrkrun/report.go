package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wrklint/wrklint/runner/htmlreport"
	"github.com/wrklint/wrklint/runner/merge"
	"github.com/wrklint/wrklint/runner/output"
	"github.com/wrklint/wrklint/runner/threshold"
)

// newReportCmd is `wrkrun report RESULT.json... --html FILE`: the HTML
// report of saved (or merged) results, several overlaid, and with
// --threshold their verdicts.
func newReportCmd(e env) *cobra.Command {
	var r resultOptions
	cmd := &cobra.Command{
		Use:   "report RESULT.json... --html FILE",
		Short: "Render saved --json results as an HTML report",
		Long: `Render saved --json results (of runs or of wrkrun merge) as one
self-contained HTML page with charts; several results are overlaid.
With --threshold, every result is judged and the exit status is 99 when
one fails.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &subcommandError{cmd, errors.New("requires at least 1 arg(s), only received 0")}
			}
			return nil
		},
		RunE: func(_ *cobra.Command, files []string) error {
			return report(e, r, files)
		},
	}
	cmd.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return &subcommandError{cmd, err} })
	f := cmd.Flags()
	f.SortFlags = false
	addResultFlags(f, &r, false)
	return cmd
}

func report(e env, r resultOptions, files []string) error {
	const prefix = "wrkrun report"
	ts, err := r.parseThresholds(prefix, nil)
	if err != nil {
		return err
	}
	if r.htmlPath == "" && len(ts) == 0 {
		return &codeError{exitError, errors.New(prefix + ": nothing to do: give --html FILE or --threshold")}
	}
	if len(files) > htmlreport.MaxRuns {
		return &codeError{exitError, fmt.Errorf("%s: %d results; a report overlays at most %d", prefix, len(files), htmlreport.MaxRuns)}
	}
	results, labels, err := readResults(files)
	if err != nil {
		return &codeError{exitError, fmt.Errorf("%s: %w", prefix, err)}
	}
	var verdicts []output.ResultThreshold
	if len(ts) > 0 {
		for i, res := range results {
			res.Thresholds = threshold.Evaluate(ts, res)
			verdicts = append(verdicts, res.Thresholds...)
			fmt.Fprintf(e.stdout, "%s\n", labels[i])
			if err := writeThresholds(e.stdout, res.Thresholds); err != nil {
				return &codeError{exitError, fmt.Errorf("%s: %w", prefix, err)}
			}
		}
	}
	if r.htmlPath != "" {
		if err := writeHTML(r.htmlPath, results, labels); err != nil {
			return &codeError{exitError, fmt.Errorf("%s: --html: %w", prefix, err)}
		}
	}
	return thresholdError(prefix, verdicts)
}

// readResults reads result files and labels them by file name (the
// shortest unambiguous form).
func readResults(files []string) ([]*output.Result, []string, error) {
	shards, err := merge.Read(files)
	if err != nil {
		return nil, nil, err
	}
	results := make([]*output.Result, len(shards))
	labels := make([]string, len(shards))
	seen := map[string]bool{}
	for i, s := range shards {
		results[i] = s.Result
		label := strings.TrimSuffix(filepath.Base(s.Path), ".json")
		if seen[label] {
			label = s.Path
		}
		seen[label] = true
		labels[i] = label
	}
	return results, labels, nil
}
