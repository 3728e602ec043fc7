package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wrklint/wrklint/runner/compare"
)

// newCompareCmd is `wrkrun compare BASE.json NEW.json`: exit 0 when
// nothing regressed, 99 when something did.
func newCompareCmd(e env) *cobra.Command {
	tolerance := "5%"
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "compare BASE.json NEW.json",
		Short: "Compare two runs; exit 99 on a regression",
		Long: `Compare two --json results: requests/s and the latency percentiles side by
side with their relative change. A change is a regression when it is worse
than --tolerance and unlikely to be noise: a one-sided Mann–Whitney U test
on the per-interval throughputs (requests/s), a bootstrap over intervals
(latency percentiles), both at the 5% level. Exit status 99 when something
regressed, 0 otherwise.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return &subcommandError{cmd, fmt.Errorf("accepts 2 arg(s), received %d", len(args))}
			}
			return nil
		},
		RunE: func(_ *cobra.Command, files []string) error {
			return compareFiles(e, files, tolerance, jsonOut)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	f.StringVar(&tolerance, "tolerance", tolerance, "Smallest relative change that counts (5%, or 0.05)")
	f.BoolVar(&jsonOut, "json", false, "Write the comparison as JSON to stdout")
	cmd.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return &subcommandError{cmd, err} })
	return cmd
}

// parseTolerance reads "5%" or "0.05".
func parseTolerance(s string) (float64, error) {
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || math.IsNaN(v) || v < 0 || math.IsInf(v, 0) {
		return 0, fmt.Errorf("--tolerance %q: a percentage such as 5%% or a fraction such as 0.05", s)
	}
	if pct {
		v /= 100
	}
	return v, nil
}

func compareFiles(e env, files []string, tolerance string, jsonOut bool) error {
	const prefix = "wrkrun compare"
	tol, err := parseTolerance(tolerance)
	if err != nil {
		return &codeError{exitError, fmt.Errorf("%s: %w", prefix, err)}
	}
	results, _, err := readResults(files)
	if err != nil {
		return &codeError{exitError, fmt.Errorf("%s: %w", prefix, err)}
	}
	o := compare.DefaultOptions()
	o.Tolerance = tol
	rep, err := compare.Compare(results[0], results[1], o)
	if err != nil {
		return &codeError{exitError, fmt.Errorf("%s: %w", prefix, err)}
	}
	if jsonOut {
		err = writeCompareJSON(e.stdout, rep)
	} else {
		err = writeCompare(e.stdout, rep, files)
	}
	if err != nil {
		return &codeError{exitError, fmt.Errorf("%s: %w", prefix, err)}
	}
	if rep.Regressed {
		return &codeError{exitThreshold, fmt.Errorf("%s: %s regressed beyond %g%%", prefix, files[1], rep.TolerancePercent)}
	}
	return nil
}

// writeCompareJSON writes the report; NaN p-values (untested) become null.
func writeCompareJSON(w io.Writer, rep *compare.Report) error {
	type metric struct {
		compare.Metric
		PValue *float64 `json:"p_value"`
	}
	out := struct {
		*compare.Report
		Metrics []metric `json:"metrics"`
	}{Report: rep}
	for _, m := range rep.Metrics {
		mm := metric{Metric: m}
		if !math.IsNaN(m.PValue) {
			p := m.PValue
			mm.PValue = &p
		}
		if math.IsInf(mm.ChangePercent, 0) {
			mm.ChangePercent = 0
		}
		out.Metrics = append(out.Metrics, mm)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the comparison: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func writeCompare(w io.Writer, rep *compare.Report, files []string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "  base: %s (%d intervals)\n  new:  %s (%d intervals)\n", files[0], rep.BaseIntervals, files[1], rep.NewIntervals)
	fmt.Fprintf(&b, "  %-8s %14s %14s %9s  %s\n", "metric", "base", "new", "change", "verdict")
	for _, m := range rep.Metrics {
		p := "untested"
		if !math.IsNaN(m.PValue) {
			p = fmt.Sprintf("%s p=%.3g", m.Test, m.PValue)
		}
		fmt.Fprintf(&b, "  %-8s %14s %14s %+8.1f%%  %s (%s)\n", m.Name, compareValue(m.Base, m.Unit), compareValue(m.New, m.Unit), finiteOr(m.ChangePercent), m.Status, p)
	}
	if rep.BaseIntervals < 3 || rep.NewIntervals < 3 {
		b.WriteString("  note: fewer than 3 intervals in a run: changes cannot be told from noise (run longer, or a shorter --interval)\n")
	}
	if rep.Regressed {
		fmt.Fprintf(&b, "  REGRESSION: worse by more than %g%% and unlikely to be noise\n", rep.TolerancePercent)
	} else {
		fmt.Fprintf(&b, "  no regression beyond %g%%\n", rep.TolerancePercent)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func finiteOr(v float64) float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0
	}
	return v
}

func compareValue(v float64, unit string) string {
	if unit == "us" {
		switch {
		case v >= 1e6:
			return strconv.FormatFloat(v/1e6, 'f', 2, 64) + "s"
		case v >= 1e3:
			return strconv.FormatFloat(v/1e3, 'f', 2, 64) + "ms"
		}
		return strconv.FormatFloat(v, 'f', 0, 64) + "us"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
