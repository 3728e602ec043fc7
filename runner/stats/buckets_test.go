package stats

import (
	"fmt"
	"testing"
)

func TestDistBuckets(t *testing.T) {
	var r Rates
	for _, v := range []uint64{30, 10, 20, 10, 30, 30} {
		r.Record(v)
	}
	d := r.Dist()
	if got, want := fmt.Sprint(d.Buckets()), "[{10 2} {20 1} {30 3}]"; got != want {
		t.Errorf("Buckets() = %s, want %s", got, want)
	}
	if d.Min() != 10 || d.Max != 30 {
		t.Errorf("Min %d, Max %d", d.Min(), d.Max)
	}

	l := NewLatency(1_000_000)
	for _, v := range []int64{100, 100, 200, 5000} {
		l.Record(v)
	}
	l.Correct(1000) // adds synthetic samples at 4000, 3000, 2000
	ld := l.Dist()
	// Synthetic samples inside [min, max] are enumerated, as wrk does.
	var total uint64
	for _, b := range ld.Buckets() {
		total += b.Count
	}
	if len(ld.Buckets()) != 6 || total != ld.Count || ld.Min() != 100 {
		t.Errorf("latency buckets %v (count %d), min %d", ld.Buckets(), ld.Count, ld.Min())
	}
	if (Dist{}).Min() != 0 || len((Dist{}).Buckets()) != 0 {
		t.Error("empty distribution")
	}
}
