package breaker

import (
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/runner"
)

func TestParse(t *testing.T) {
	tests := []struct {
		exprs     []string
		transport bool
		active    bool
		err       string
	}{
		{nil, false, false, ""},
		{nil, true, true, ""},
		{[]string{"none"}, true, false, ""},
		{[]string{"error_rate>50%"}, true, true, ""},
		{[]string{"p50>1s"}, false, false, "not measured during the run"},
		{[]string{"error_rate>>5"}, false, false, "error_rate>>5"},
	}
	for _, tt := range tests {
		b, err := Parse(tt.exprs, tt.transport)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Parse(%q) error %v, want %q", tt.exprs, err, tt.err)
			}
			continue
		}
		if err != nil || b.Active() != tt.active {
			t.Errorf("Parse(%q, %v) = active %v, %v; want active %v", tt.exprs, tt.transport, b.Active(), err, tt.active)
		}
		// A condition given replaces the default breaker.
		if len(tt.exprs) > 0 && b.transport {
			t.Errorf("Parse(%q): default breaker on beside conditions", tt.exprs)
		}
	}
}

// snapshots builds cumulative progress from per-second increments.
func snapshots(steps [][3]uint64) []runner.Progress {
	var out []runner.Progress
	var p runner.Progress
	for i, s := range steps {
		p.Elapsed = time.Duration(i+1) * time.Second
		p.Requests += s[0]
		p.Transport += s[1]
		p.Status += s[2]
		p.Errors += s[1] + s[2]
		p.Rate = float64(s[0])
		out = append(out, p)
	}
	return out
}

func TestObserve(t *testing.T) {
	failing := [3]uint64{10, 90, 0}
	healthy := [3]uint64{100, 0, 0}
	statusErrors := [3]uint64{100, 0, 80}
	tests := []struct {
		name      string
		exprs     []string
		transport bool
		steps     [][3]uint64
		tripAt    int // 1-based snapshot; 0: never
	}{
		{"default trips after five failing seconds", nil, true, [][3]uint64{healthy, failing, failing, failing, failing, failing, failing}, 6},
		{"a healthy second resets the count", nil, true, [][3]uint64{failing, failing, failing, failing, healthy, failing, failing}, 0},
		{"statuses are not transport failures", nil, true, [][3]uint64{statusErrors, statusErrors, statusErrors, statusErrors, statusErrors, statusErrors}, 0},
		{"error_rate counts statuses, per second", []string{"error_rate>50%"}, false, [][3]uint64{healthy, statusErrors}, 2},
		{"error_rate below the limit", []string{"error_rate>90%"}, false, [][3]uint64{statusErrors, statusErrors}, 0},
		{"rps too low", []string{"rps<50"}, false, [][3]uint64{healthy, {10, 0, 0}}, 2},
		{"no breaker", nil, false, [][3]uint64{failing, failing, failing, failing, failing, failing}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Parse(tt.exprs, tt.transport)
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for i, p := range snapshots(tt.steps) {
				if reason := b.Observe(p); reason != "" {
					got = i + 1
					break
				}
			}
			if got != tt.tripAt {
				t.Errorf("tripped at snapshot %d, want %d", got, tt.tripAt)
			}
		})
	}
}
