package stats

import (
	"math"
	"math/rand"
	"testing"
)

// wrkStats is a transcription of the arithmetic of wrk's stats.c (flat
// array, one bucket per µs) used as the reference.
type wrkStats struct {
	data          []uint64
	count         uint64
	min, max      uint64
	limit         uint64
	timeoutErrors int
}

func newWrk(limit uint64) *wrkStats {
	return &wrkStats{data: make([]uint64, limit), min: math.MaxUint64, limit: limit}
}

func (s *wrkStats) record(v uint64) {
	if v >= s.limit {
		s.timeoutErrors++
		return
	}
	s.data[v]++
	s.count++
	s.min = min(s.min, v)
	s.max = max(s.max, v)
}

func (s *wrkStats) correct(expected uint64) {
	for n := expected * 2; n <= s.max; n++ {
		c := s.data[n]
		for m := n - expected; c > 0 && m > expected; m -= expected {
			s.data[m] += c
			s.count += c
		}
	}
}

func (s *wrkStats) mean() float64 {
	if s.count == 0 {
		return 0
	}
	var sum uint64
	for i := s.min; i <= s.max; i++ {
		sum += s.data[i] * i
	}
	return float64(sum) / float64(s.count)
}

func (s *wrkStats) stdev(mean float64) float64 {
	if s.count < 2 {
		return 0
	}
	var sum float64
	for i := s.min; i <= s.max; i++ {
		if s.data[i] > 0 {
			sum += math.Pow(float64(i)-mean, 2) * float64(s.data[i])
		}
	}
	return math.Sqrt(sum / float64(s.count-1))
}

func (s *wrkStats) within(mean, stdev float64) float64 {
	var sum uint64
	for i := s.min; i <= s.max; i++ {
		if float64(i) >= mean-stdev && float64(i) <= mean+stdev {
			sum += s.data[i]
		}
	}
	return float64(sum) / float64(s.count) * 100
}

func (s *wrkStats) percentile(p float64) uint64 {
	rank := uint64(math.Round(p/100*float64(s.count) + 0.5))
	var total uint64
	for i := s.min; i <= s.max; i++ {
		total += s.data[i]
		if total >= rank {
			return i
		}
	}
	return 0
}

func TestLatencyMatchesWrk(t *testing.T) {
	const limit = 2000 // below 2048 the histogram is exact, so results must be equal
	tests := []struct {
		name     string
		samples  func(r *rand.Rand) []uint64
		expected uint64 // CO correction interval, 0 for none
	}{
		{"uniform", func(r *rand.Rand) []uint64 { return draw(r, 5000, func() uint64 { return uint64(r.Intn(limit)) }) }, 0},
		{"long tail corrected", func(r *rand.Rand) []uint64 {
			return draw(r, 5000, func() uint64 { return uint64(math.Min(r.ExpFloat64()*80, limit+500)) })
		}, 60},
		{"corrected, min above expected", func(r *rand.Rand) []uint64 {
			return draw(r, 300, func() uint64 { return 500 + uint64(r.Intn(1400)) })
		}, 100},
		{"single value", func(*rand.Rand) []uint64 { return []uint64{42} }, 0},
		{"two values", func(*rand.Rand) []uint64 { return []uint64{10, 30} }, 5},
	}
	for _, tt := range tests {
		r := rand.New(rand.NewSource(1))
		ref := newWrk(limit)
		// Two "threads", merged, as the runner does.
		a, b := NewLatency(limit), NewLatency(limit)
		timeouts := 0
		for i, v := range tt.samples(r) {
			ref.record(v)
			h := a
			if i%2 == 1 {
				h = b
			}
			if !h.Record(int64(v)) {
				timeouts++
			}
		}
		a.Merge(b)
		if timeouts != ref.timeoutErrors {
			t.Errorf("%s: %d timeouts, wrk %d", tt.name, timeouts, ref.timeoutErrors)
		}
		if tt.expected > 0 {
			ref.correct(tt.expected)
			a.Correct(int64(tt.expected))
		}
		d := a.Dist()
		mean := ref.mean()
		stdev := ref.stdev(mean)
		if d.Count != ref.count {
			t.Errorf("%s: count %d, wrk %d", tt.name, d.Count, ref.count)
		}
		if !near(d.Mean, mean) || !near(d.Stdev, stdev) || !near(d.Within, ref.within(mean, stdev)) || d.Max != ref.max {
			t.Errorf("%s: mean/stdev/within/max = %v/%v/%v/%v, wrk %v/%v/%v/%v", tt.name,
				d.Mean, d.Stdev, d.Within, d.Max, mean, stdev, ref.within(mean, stdev), ref.max)
		}
		for _, p := range []float64{0, 50, 75, 90, 99, 99.9} {
			want := ref.percentile(p)
			if want == 0 {
				continue // wrk's "rank not reached" answer; we answer max
			}
			if got := d.Percentile(p); got != want {
				t.Errorf("%s: p%v = %d, wrk %d", tt.name, p, got, want)
			}
		}
	}
}

func draw(r *rand.Rand, n int, f func() uint64) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = f()
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestEmptyDist(t *testing.T) {
	for name, d := range map[string]Dist{"latency": NewLatency(100).Dist(), "rates": (&Rates{}).Dist()} {
		if d.Count != 0 || d.Mean != 0 || d.Stdev != 0 || d.Max != 0 || !math.IsNaN(d.Within) || d.Percentile(50) != 0 {
			t.Errorf("%s: empty distribution = %+v", name, d)
		}
	}
}

func TestRatesDist(t *testing.T) {
	var a, b Rates
	for _, v := range []uint64{10, 20, 20} {
		a.Record(v)
	}
	b.Record(30)
	a.Merge(&b)
	d := a.Dist()
	// mean 20, sample stdev sqrt(200/3), within [11.8, 28.2] → 2 of 4.
	if d.Count != 4 || d.Mean != 20 || !near(d.Stdev, math.Sqrt(200.0/3)) || d.Max != 30 || d.Within != 50 {
		t.Errorf("dist = %+v", d)
	}
}

func TestLargeLatencyWithinResolution(t *testing.T) {
	l := NewLatency(60e6)
	for _, v := range []int64{1_234_567, 45_320, 2_000_000} {
		if !l.Record(v) {
			t.Fatalf("Record(%d) rejected", v)
		}
	}
	if l.Record(60e6) {
		t.Error("a value at the limit must count as a timeout")
	}
	d := l.Dist()
	if d.Max != 2_000_000 {
		t.Errorf("max = %d, want the exact recorded maximum", d.Max)
	}
	if p := float64(d.Percentile(50)); math.Abs(p-1_234_567)/1_234_567 > 0.001 {
		t.Errorf("p50 = %v, want 1234567 within 0.1%%", p)
	}
}
