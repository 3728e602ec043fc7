package output

import (
	"math"
	"testing"
	"time"

	"github.com/wrklint/wrklint/runner/stats"
)

// TestTimelineRoundTrip writes a timeline to the result and reads it back.
func TestTimelineRoundTrip(t *testing.T) {
	start := time.Unix(5000, 0).UTC()
	ivs := []stats.Interval{
		{Index: 0, Requests: 10, Bytes: 100, Statuses: map[int]uint64{200: 10}, Latency: []stats.Bucket{{Value: 1000, Count: 10}}, LatencyMax: 1000},
		{Index: 2, Requests: 5, Errors: stats.IntervalErrors{Timeout: 2}, LagMaxUS: 9},
	}
	tl := stats.MergeThreads(start, 500*time.Millisecond, 1_000_000, [][]stats.Interval{ivs})
	tl.Lag = true
	s := &stats.Summary{Start: start, Runtime: 1400 * time.Millisecond, Timeline: tl, Rates: &stats.Rates{}, Rate: 10}
	r := NewResult(s, RunInfo{Rate: 10})
	if r.Series == nil || len(r.Series.Intervals) != 3 || r.Series.IntervalSeconds != 0.5 {
		t.Fatalf("series %+v", r.Series)
	}
	last := r.Series.Intervals[2]
	if math.Abs(last.DurationSeconds-0.4) > 1e-9 || last.ScheduleLagMax == nil || *last.ScheduleLagMax != 9 || last.Errors.Timeout != 2 {
		t.Errorf("last interval %+v", last)
	}
	if l := r.Series.Intervals[0].Latency; l.Count != 10 || l.P50US != 1000 || l.MaxUS != 1000 || l.Histogram == "" {
		t.Errorf("interval 0 latency %+v", l)
	}
	back := r.Timeline()
	if len(back.Intervals) != 3 || back.Intervals[0].Hist.Count() != 10 || back.Intervals[2].Requests != 5 || back.Intervals[0].Statuses[200] != 10 {
		t.Errorf("read back %+v", back.Intervals)
	}
}

// TestTimelineHostile reads series a hostile file could hold.
func TestTimelineHostile(t *testing.T) {
	tests := []struct {
		name      string
		series    *ResultSeries
		intervals int // -1: no timeline
	}{
		{"zero interval", &ResultSeries{IntervalSeconds: 0, Intervals: []ResultInterval{{}}}, -1},
		{"tiny interval", &ResultSeries{IntervalSeconds: 1e-12, Intervals: []ResultInterval{{}}}, -1},
		{"huge interval", &ResultSeries{IntervalSeconds: 1e300, Intervals: []ResultInterval{{}}}, -1},
		{"far start", &ResultSeries{IntervalSeconds: 1, Intervals: []ResultInterval{{}, {StartSeconds: 1e300}}}, 1},
		{"negative start", &ResultSeries{IntervalSeconds: 1, Intervals: []ResultInterval{{StartSeconds: -5}}}, 0},
		{"bad histogram", &ResultSeries{IntervalSeconds: 1, Intervals: []ResultInterval{{Requests: 3, Latency: ResultIntervalLatency{Histogram: "!!"}}}}, 1},
	}
	for _, tc := range tests {
		r := &Result{Series: tc.series}
		tl := r.Timeline()
		switch {
		case tc.intervals < 0 && tl != nil:
			t.Errorf("%s: a timeline %+v", tc.name, tl)
		case tc.intervals >= 0 && (tl == nil || len(tl.Intervals) != tc.intervals):
			t.Errorf("%s: timeline %+v, want %d intervals", tc.name, tl, tc.intervals)
		}
	}
}

// TestScheduleLagPercentilesCapped: percentiles of the schedule lag never
// exceed its maximum, although the histogram's buckets round up (they
// do for this value today; the check holds either way).
func TestScheduleLagPercentilesCapped(t *testing.T) {
	h := stats.NewLatency(24 * 3600 * 1_000_000)
	for _, us := range []int64{974124, 974124, 12} {
		h.Record(us)
	}
	r := NewResult(&stats.Summary{Rates: &stats.Rates{}, Rate: 10, ScheduleLagHist: h}, RunInfo{Rate: 10})
	if l := r.ScheduleLag; l == nil || l.MaxUS != 974124 || l.P99US != 974124 || l.P50US > l.P99US {
		t.Errorf("schedule lag %+v; want p99 = max = 974124", l)
	}
}
