package compare

import (
	"math"
	"testing"

	"github.com/wrklint/wrklint/runner/output"
	"github.com/wrklint/wrklint/runner/stats"
)

func TestMannWhitneyLess(t *testing.T) {
	tests := []struct {
		name string
		x, y []float64
		want float64
		tol  float64
	}{
		{"separated 3+3", []float64{1, 2, 3}, []float64{4, 5, 6}, 1.0 / 20, 1e-12},
		{"separated 4+4", []float64{1, 2, 3, 4}, []float64{5, 6, 7, 8}, 1.0 / 70, 1e-12},
		{"reversed 3+3", []float64{4, 5, 6}, []float64{1, 2, 3}, 1, 1e-12},
		// U = 1: two arrangements of 20 have U ≤ 1.
		{"one swap", []float64{1, 2, 4}, []float64{3, 5, 6}, 2.0 / 20, 1e-12},
		// Ties take the normal approximation: identical samples are no
		// evidence either way.
		{"identical", []float64{5, 5, 5, 5}, []float64{5, 5, 5, 5}, 1, 1e-12},
	}
	for _, tc := range tests {
		if got := MannWhitneyLess(tc.x, tc.y); math.Abs(got-tc.want) > tc.tol {
			t.Errorf("%s: p = %g, want %g", tc.name, got, tc.want)
		}
	}
	// The normal approximation agrees with the exact distribution where
	// both apply.
	for _, u := range []int{100, 150, 200} {
		exact, approx := exactLE(u, 20, 20), normalLE(float64(u), 20, 20, 0)
		if math.Abs(exact-approx) > 0.005 {
			t.Errorf("U ≤ %d of 20+20: exact %g, approximate %g", u, exact, approx)
		}
	}
}

// result builds a result of n one-second intervals whose latencies are
// spread around baseUS and whose throughput is about rps.
func result(t *testing.T, n int, baseUS int64, rps float64) *output.Result {
	t.Helper()
	r := &output.Result{RequestsPerSec: rps, Series: &output.ResultSeries{IntervalSeconds: 1}}
	all := stats.NewLatency(10_000_000)
	for i := range n {
		h := stats.NewIntervalLatency(10_000_000)
		reqs := uint64(rps) + uint64(i%3) // a little jitter
		for k := range reqs {
			us := baseUS + int64(k%50)*baseUS/100 + int64(i%4)*baseUS/50
			all.Record(us)
			h.Merge(one(us))
		}
		data, err := h.Encode()
		if err != nil {
			t.Fatal(err)
		}
		r.Series.Intervals = append(r.Series.Intervals, output.ResultInterval{
			StartSeconds: float64(i), DurationSeconds: 1, Requests: reqs,
			Latency: output.ResultIntervalLatency{Count: reqs, MaxUS: h.Quantile(100), Histogram: data},
		})
	}
	d := all.Dist()
	for _, p := range []float64{50, 90, 99, 99.9} {
		r.Latency.Percentiles = append(r.Latency.Percentiles, output.ResultPercentile{Percentile: p, ValueUS: d.Percentile(p)})
	}
	return r
}

func one(us int64) *stats.Latency {
	l := stats.NewIntervalLatency(10_000_000)
	l.Record(us)
	return l
}

func TestCompare(t *testing.T) {
	base := result(t, 8, 1000, 500)
	tests := []struct {
		name      string
		newR      *output.Result
		regressed bool
		statuses  map[string]Status
	}{
		{"identical", base, false, map[string]Status{"rps": Unchanged, "p50": Unchanged, "p99": Unchanged}},
		{"within tolerance", result(t, 8, 1030, 490), false, map[string]Status{"rps": Unchanged, "p50": Unchanged}},
		{"slower", result(t, 8, 2000, 250), true, map[string]Status{"rps": Regression, "p50": Regression, "p99": Regression}},
		{"faster", result(t, 8, 500, 1000), false, map[string]Status{"rps": Improvement, "p50": Improvement}},
		{"two intervals", result(t, 2, 2000, 250), true, map[string]Status{"rps": Untested, "p50": Regression}},
		{"one interval", result(t, 1, 2000, 250), false, map[string]Status{"rps": Untested, "p50": Untested}},
	}
	for _, tc := range tests {
		rep, err := Compare(base, tc.newR, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if rep.Regressed != tc.regressed {
			t.Errorf("%s: regressed = %v, want %v (%+v)", tc.name, rep.Regressed, tc.regressed, rep.Metrics)
		}
		for _, m := range rep.Metrics {
			if want, ok := tc.statuses[m.Name]; ok && m.Status != want {
				t.Errorf("%s: %s is %s (change %.1f%%, p %g), want %s", tc.name, m.Name, m.Status, m.ChangePercent, m.PValue, want)
			}
		}
	}
	// Noise: the same spread, one run's mean shifted beyond the tolerance
	// but with intervals that overlap wholly is not significant.
	noisy := func(rates []float64) *output.Result {
		r := &output.Result{Series: &output.ResultSeries{IntervalSeconds: 1}}
		var sum float64
		for i, v := range rates {
			sum += v
			r.Series.Intervals = append(r.Series.Intervals, output.ResultInterval{StartSeconds: float64(i), DurationSeconds: 1, Requests: uint64(v)})
		}
		r.RequestsPerSec = sum / float64(len(rates))
		return r
	}
	rep, err := Compare(noisy([]float64{100, 300, 120, 280, 110}), noisy([]float64{90, 290, 100, 260, 100}), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Metrics[0].Status != Noise || rep.Regressed {
		t.Errorf("overlapping throughputs: %+v, want noise and no regression", rep.Metrics[0])
	}
	if _, err := Compare(base, base, Options{Tolerance: -1, Alpha: 0.05}); err == nil {
		t.Error("a negative tolerance was accepted")
	}
}
