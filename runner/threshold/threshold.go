// Package threshold parses and evaluates wrkrun's pass/fail criteria
// (--threshold, thresholds: in .wrklint.yml): "METRIC OP VALUE", such as
// "p99 < 200ms" or "error_rate <= 1%". A run with a failed threshold exits
// with status 99 (k6's convention).
package threshold

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wrklint/wrklint/runner/output"
)

// Op is a comparison.
type Op string

// The comparisons a threshold may use.
const (
	Less         Op = "<"
	LessEqual    Op = "<="
	Greater      Op = ">"
	GreaterEqual Op = ">="
)

// kind is what a metric measures, which decides the units its value takes.
type kind int

const (
	latency kind = iota // µs; value with us, ms (default) or s
	rate                // requests/s
	percent             // 0–100, optional %
	count               // a number of events
)

type metric struct {
	kind       kind
	percentile float64 // latency percentiles; 0 otherwise
}

// metrics are the names a threshold may measure.
var metrics = map[string]metric{
	"p50": {latency, 50}, "p75": {latency, 75}, "p90": {latency, 90}, "p99": {latency, 99},
	"p99.9": {latency, 99.9}, "p99.99": {latency, 99.99},
	"max": {latency, 0}, "mean": {latency, 0},
	"rps":        {rate, 0},
	"error_rate": {percent, 0},
	"errors":     {count, 0}, "timeouts": {count, 0}, "non2xx": {count, 0},
}

// Metrics returns the metric names in the order the documentation lists them.
func Metrics() []string {
	return []string{"p50", "p75", "p90", "p99", "p99.9", "p99.99", "max", "mean", "rps", "error_rate", "errors", "timeouts", "non2xx"}
}

// Threshold is one parsed criterion. Limit is in the metric's base unit
// (µs for latencies, % for error_rate).
type Threshold struct {
	Expr   string
	Metric string
	Op     Op
	Limit  float64
}

// SyntaxError is a malformed expression; Col is the 1-based column (in
// bytes) of the mistake.
type SyntaxError struct {
	Expr string
	Col  int
	Msg  string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("threshold %q: column %d: %s\n  %s\n  %s^", e.Expr, e.Col, e.Msg, e.Expr, strings.Repeat(" ", e.Col-1))
}

// maxExprLen bounds an expression; real ones are a dozen bytes.
const maxExprLen = 200

// Parse reads one expression.
func Parse(expr string) (Threshold, error) {
	fail := func(pos int, format string, args ...any) (Threshold, error) {
		return Threshold{}, &SyntaxError{Expr: expr, Col: pos + 1, Msg: fmt.Sprintf(format, args...)}
	}
	if len(expr) > maxExprLen {
		return fail(maxExprLen, "longer than %d bytes", maxExprLen)
	}
	pos := skipSpace(expr, 0)
	start := pos
	for pos < len(expr) && (isAlnum(expr[pos]) || expr[pos] == '_' || expr[pos] == '.') {
		pos++
	}
	name := expr[start:pos]
	if name == "" {
		return fail(start, "expected a metric (%s)", strings.Join(Metrics(), ", "))
	}
	m, ok := metrics[name]
	if !ok {
		return fail(start, "unknown metric %q (one of %s)", name, strings.Join(Metrics(), ", "))
	}
	pos = skipSpace(expr, pos)
	opStart := pos
	var op Op
	switch {
	case strings.HasPrefix(expr[pos:], "<="):
		op, pos = LessEqual, pos+2
	case strings.HasPrefix(expr[pos:], ">="):
		op, pos = GreaterEqual, pos+2
	case strings.HasPrefix(expr[pos:], "<"):
		op, pos = Less, pos+1
	case strings.HasPrefix(expr[pos:], ">"):
		op, pos = Greater, pos+1
	default:
		return fail(opStart, "expected <, <=, > or >= after %s", name)
	}
	pos = skipSpace(expr, pos)
	numStart := pos
	for pos < len(expr) && (isDigit(expr[pos]) || expr[pos] == '.') {
		pos++
	}
	if numStart == pos {
		return fail(numStart, "expected a number after %s", op)
	}
	v, err := strconv.ParseFloat(expr[numStart:pos], 64)
	if err != nil {
		return fail(numStart, "%q is not a number", expr[numStart:pos])
	}
	unitStart := pos
	for pos < len(expr) && (isAlnum(expr[pos]) || expr[pos] == '%' || expr[pos] == '/') {
		pos++
	}
	unit := expr[unitStart:pos]
	scale, err := unitScale(m.kind, unit)
	if err != nil {
		return fail(unitStart, "%v", err)
	}
	if end := skipSpace(expr, pos); end < len(expr) {
		return fail(end, "unexpected %q after the value", expr[end:])
	}
	return Threshold{Expr: strings.TrimSpace(expr), Metric: name, Op: op, Limit: v * scale}, nil
}

func unitScale(k kind, unit string) (float64, error) {
	switch k {
	case latency:
		switch unit {
		case "us", "µs":
			return 1, nil
		case "", "ms":
			return 1e3, nil
		case "s":
			return 1e6, nil
		}
		return 0, fmt.Errorf("unit %q: a latency takes us, ms (the default) or s", unit)
	case percent:
		if unit == "" || unit == "%" {
			return 1, nil
		}
		return 0, fmt.Errorf("unit %q: error_rate is a percentage (1 or 1%%)", unit)
	case rate:
		switch unit {
		case "", "/s":
			return 1, nil
		case "k":
			return 1e3, nil
		}
		return 0, fmt.Errorf("unit %q: rps takes a number of requests/s (1000 or 1k)", unit)
	}
	if unit != "" {
		return 0, fmt.Errorf("unit %q: a count takes no unit", unit)
	}
	return 1, nil
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// ParseAll parses every expression, stopping at the first mistake.
func ParseAll(exprs []string) ([]Threshold, error) {
	out := make([]Threshold, 0, len(exprs))
	for _, e := range exprs {
		t, err := Parse(e)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Measure returns the metric's value in r and its unit.
func Measure(name string, r *output.Result) (float64, string) {
	m := metrics[name]
	e := r.Errors
	switch name {
	case "max":
		return float64(r.Latency.MaxUS), "us"
	case "mean":
		return r.Latency.MeanUS, "us"
	case "rps":
		return r.RequestsPerSec, "req/s"
	case "error_rate":
		// HTTP/2's stream and connection errors are failed attempts
		// too (0 over HTTP/1.1).
		failed := e.Connect + e.Read + e.Write + e.Timeout + e.Stream + e.Connection
		attempts := r.Requests + failed
		if attempts == 0 {
			return 0, "%"
		}
		return float64(failed+e.Status) / float64(attempts) * 100, "%"
	case "errors":
		return float64(e.Connect + e.Read + e.Write + e.Timeout + e.Status + e.Stream + e.Connection), ""
	case "timeouts":
		return float64(e.Timeout), ""
	case "non2xx":
		return float64(e.Status), ""
	}
	for _, p := range r.Latency.Percentiles {
		if p.Percentile == m.percentile {
			return float64(p.ValueUS), "us"
		}
	}
	return 0, "us"
}

// Holds reports whether value satisfies the threshold.
func (t Threshold) Holds(value float64) bool {
	switch t.Op {
	case Less:
		return value < t.Limit
	case LessEqual:
		return value <= t.Limit
	case Greater:
		return value > t.Limit
	}
	return value >= t.Limit
}

// Evaluate measures every threshold on r.
func Evaluate(ts []Threshold, r *output.Result) []output.ResultThreshold {
	out := make([]output.ResultThreshold, 0, len(ts))
	for _, t := range ts {
		v, unit := Measure(t.Metric, r)
		out = append(out, output.ResultThreshold{Expression: t.Expr, Metric: t.Metric, Value: v, Unit: unit, Passed: t.Holds(v)})
	}
	return out
}

// Failed reports whether any verdict failed.
func Failed(vs []output.ResultThreshold) bool {
	for _, v := range vs {
		if !v.Passed {
			return true
		}
	}
	return false
}

// Format renders a measured value for the report's threshold lines.
func Format(v output.ResultThreshold) string {
	switch v.Unit {
	case "us":
		switch {
		case v.Value >= 1e6:
			return strconv.FormatFloat(v.Value/1e6, 'f', 2, 64) + "s"
		case v.Value >= 1e3:
			return strconv.FormatFloat(v.Value/1e3, 'f', 2, 64) + "ms"
		}
		return strconv.FormatFloat(v.Value, 'f', 0, 64) + "us"
	case "%":
		return strconv.FormatFloat(v.Value, 'f', 2, 64) + "%"
	case "req/s":
		return strconv.FormatFloat(v.Value, 'f', 2, 64) + " req/s"
	}
	return strconv.FormatFloat(v.Value, 'f', 0, 64)
}
