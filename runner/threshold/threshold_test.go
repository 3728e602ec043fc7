package threshold

import (
	"errors"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/runner/output"
)

func TestParse(t *testing.T) {
	tests := []struct {
		expr   string
		metric string
		op     Op
		limit  float64
	}{
		{"p99 < 200ms", "p99", Less, 200_000},
		{"p99<200", "p99", Less, 200_000},
		{"p99.9 <= 1.5s", "p99.9", LessEqual, 1_500_000},
		{"p99.99 < 900us", "p99.99", Less, 900},
		{"  mean >= 3ms ", "mean", GreaterEqual, 3000},
		{"max<2s", "max", Less, 2_000_000},
		{"rps > 1000", "rps", Greater, 1000},
		{"rps >= 2.5k", "rps", GreaterEqual, 2500},
		{"error_rate < 1%", "error_rate", Less, 1},
		{"error_rate <= 0.5", "error_rate", LessEqual, 0.5},
		{"errors < 1", "errors", Less, 1},
		{"timeouts <= 0", "timeouts", LessEqual, 0},
		{"non2xx < 10", "non2xx", Less, 10},
	}
	for _, tc := range tests {
		got, err := Parse(tc.expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.expr, err)
			continue
		}
		if got.Metric != tc.metric || got.Op != tc.op || got.Limit != tc.limit {
			t.Errorf("Parse(%q) = %+v, want %s %s %g", tc.expr, got, tc.metric, tc.op, tc.limit)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		expr string
		col  int
		msg  string
	}{
		{"", 1, "expected a metric"},
		{"p98 < 1ms", 1, `unknown metric "p98"`},
		{"p99 = 1ms", 5, "expected <, <=, > or >="},
		{"p99 << 1ms", 6, "expected a number"},
		{"p99 < ms", 7, "expected a number"},
		{"p99 < 1.2.3ms", 7, "is not a number"},
		{"p99 < 1h", 8, `unit "h"`},
		{"rps > 10ms", 9, `unit "ms"`},
		{"errors < 1%", 11, `unit "%"`},
		{"p99 < 1ms and more", 11, "unexpected"},
		{"error_rate < 1 %", 16, "unexpected"},
		{strings.Repeat("p", 300), 201, "longer than"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.expr)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a SyntaxError", tc.expr, err)
			continue
		}
		if se.Col != tc.col || !strings.Contains(se.Msg, tc.msg) {
			t.Errorf("Parse(%q): column %d %q, want column %d %q", tc.expr, se.Col, se.Msg, tc.col, tc.msg)
		}
		if lines := strings.Split(err.Error(), "\n"); len(lines) != 3 || len(lines[2]) != 2+tc.col {
			t.Errorf("Parse(%q): the caret line does not point at column %d:\n%s", tc.expr, tc.col, err)
		}
	}
}

func TestEvaluate(t *testing.T) {
	r := &output.Result{
		Requests: 990, RequestsPerSec: 99,
		Errors: output.ResultErrors{Connect: 5, Timeout: 5, Status: 10},
		Latency: output.ResultLatency{MeanUS: 1500, MaxUS: 90_000, Percentiles: []output.ResultPercentile{
			{Percentile: 50, ValueUS: 1000}, {Percentile: 75, ValueUS: 1200}, {Percentile: 90, ValueUS: 2000},
			{Percentile: 99, ValueUS: 10_000}, {Percentile: 99.9, ValueUS: 50_000}, {Percentile: 99.99, ValueUS: 80_000},
		}},
	}
	tests := []struct {
		expr  string
		value float64
		pass  bool
	}{
		{"p50 < 1ms", 1000, false},
		{"p50 <= 1ms", 1000, true},
		{"p75 < 2ms", 1200, true},
		{"p90 > 1ms", 2000, true},
		{"p99 < 5ms", 10_000, false},
		{"p99.9 < 50ms", 50_000, false},
		{"p99.99 >= 80ms", 80_000, true},
		{"max < 100ms", 90_000, true},
		{"mean < 1ms", 1500, false},
		{"rps > 100", 99, false},
		{"rps >= 99", 99, true},
		// (5 connect + 5 timeouts + 10 status) of (990 + 10) attempts.
		{"error_rate < 2%", 2, false},
		{"error_rate <= 2", 2, true},
		{"errors < 21", 20, true},
		{"timeouts < 5", 5, false},
		{"non2xx <= 10", 10, true},
	}
	for _, tc := range tests {
		th, err := Parse(tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		v := Evaluate([]Threshold{th}, r)[0]
		if v.Value != tc.value || v.Passed != tc.pass {
			t.Errorf("%s: measured %g passed %v, want %g %v", tc.expr, v.Value, v.Passed, tc.value, tc.pass)
		}
	}
	if Failed(Evaluate(nil, r)) {
		t.Error("no thresholds failed")
	}
	empty := Evaluate([]Threshold{{Metric: "error_rate", Op: Less, Limit: 1}}, &output.Result{})
	if !empty[0].Passed || empty[0].Value != 0 {
		t.Errorf("error_rate of an empty run = %+v, want 0 and passed", empty[0])
	}
}

// TestHTTP2ErrorsCount: a stream or connection error is a failed attempt
// for error_rate and errors.
func TestHTTP2ErrorsCount(t *testing.T) {
	t.Parallel()
	r := &output.Result{Requests: 90, Errors: output.ResultErrors{Stream: 8, Connection: 2}}
	for _, tc := range []struct {
		metric string
		want   float64
	}{{"error_rate", 10}, {"errors", 10}} {
		if v, _ := Measure(tc.metric, r); v != tc.want {
			t.Errorf("%s = %g, want %g", tc.metric, v, tc.want)
		}
	}
}
