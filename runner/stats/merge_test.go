package stats

import (
	"math/rand"
	"testing"
)

// TestEncodedMergeEqualsPooled: latencies split over shards, each encoded
// and decoded as wrkrun merge does, merge into exactly the statistics of
// one histogram fed every sample.
func TestEncodedMergeEqualsPooled(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	const limit = 2_000_000
	for _, tt := range []struct {
		name   string
		shards int
		n      int
		sample func() int64
	}{
		{"uniform small", 4, 5000, func() int64 { return rng.Int63n(3000) }},
		{"long tail", 3, 20000, func() int64 { return int64(rng.ExpFloat64() * 20000) }},
		{"one shard empty", 4, 10, func() int64 { return 100 + rng.Int63n(10) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pooled := NewLatency(limit)
			parts := make([]*Latency, tt.shards)
			for i := range parts {
				parts[i] = NewLatency(limit)
			}
			for k := range tt.n {
				v := tt.sample()
				pooled.Record(v)
				// The last shard gets nothing in the "empty" case.
				parts[k%max(tt.shards-1, 1)].Record(v)
			}
			var merged *Latency
			for _, p := range parts {
				data, err := p.Encode()
				if err != nil {
					t.Fatal(err)
				}
				lo, hi, _ := p.Bounds()
				d, err := DecodeLatency(data, lo, hi)
				if err != nil {
					t.Fatal(err)
				}
				if merged == nil {
					merged = d
				} else {
					merged.Merge(d)
				}
			}
			got, want := merged.Dist(), pooled.Dist()
			if got.Count != want.Count || got.Max != want.Max || got.Min() != want.Min() || got.Mean != want.Mean || got.Stdev != want.Stdev || got.Within != want.Within {
				t.Errorf("merged %+v\npooled %+v", got, want)
			}
			for _, p := range []float64{0, 1, 50, 75, 90, 99, 99.9, 99.99, 100} {
				if g, w := got.Percentile(p), want.Percentile(p); g != w {
					t.Errorf("p%v: merged %d, pooled %d", p, g, w)
				}
			}
		})
	}
}

func TestCloneIsIndependent(t *testing.T) {
	l := NewLatency(1000)
	l.Record(10)
	c := l.Clone()
	l.Record(20)
	if c.Count() != 1 || l.Count() != 2 {
		t.Errorf("clone has %d samples, original %d", c.Count(), l.Count())
	}
}

func TestDecodeLatencyRefuses(t *testing.T) {
	l := NewLatency(1000)
	l.Record(5)
	data, _ := l.Encode()
	for _, tt := range []struct {
		data   string
		lo, hi int64
	}{{"not base64!", 0, 1}, {"SElTVEZBQUFB", 0, 1}, {data, 10, 5}, {data, -1, 5}} {
		if _, err := DecodeLatency(tt.data, tt.lo, tt.hi); err == nil {
			t.Errorf("DecodeLatency(%q, %d, %d) accepted", tt.data, tt.lo, tt.hi)
		}
	}
}

func TestRatesBucketsRoundTrip(t *testing.T) {
	var a, b Rates
	for _, v := range []uint64{5, 3, 5, 9, 3, 3} {
		a.Record(v)
	}
	bs := a.Buckets()
	want := []Bucket{{3, 3}, {5, 2}, {9, 1}}
	if len(bs) != len(want) {
		t.Fatalf("buckets %v, want %v", bs, want)
	}
	for i := range want {
		if bs[i] != want[i] {
			t.Fatalf("buckets %v, want %v", bs, want)
		}
	}
	if err := b.AddBuckets(bs); err != nil {
		t.Fatal(err)
	}
	if a.Dist().Mean != b.Dist().Mean || a.Dist().Stdev != b.Dist().Stdev || b.Count() != 6 {
		t.Errorf("round trip changed the distribution: %+v vs %+v", a.Dist(), b.Dist())
	}
	if err := b.AddBuckets([]Bucket{{1, maxRateSamples}}); err == nil {
		t.Error("AddBuckets accepted more than the bound")
	}
}

func TestShareOf(t *testing.T) {
	for _, tt := range []struct {
		total, n int
		want     []int
	}{
		{10, 4, []int{3, 3, 2, 2}},
		{8, 4, []int{2, 2, 2, 2}},
		{3, 4, []int{1, 1, 1, 0}},
		{1000, 3, []int{334, 333, 333}},
		{7, 1, []int{7}},
	} {
		sum := 0
		for i, w := range tt.want {
			if got := ShareOf(tt.total, tt.n, i); got != w {
				t.Errorf("ShareOf(%d, %d, %d) = %d, want %d", tt.total, tt.n, i, got, w)
			}
			sum += ShareOf(tt.total, tt.n, i)
		}
		if sum != tt.total {
			t.Errorf("shares of %d over %d sum to %d", tt.total, tt.n, sum)
		}
	}
}
