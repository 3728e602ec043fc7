package stats

import (
	"testing"
	"time"
)

func TestSeries(t *testing.T) {
	t0 := time.Unix(1000, 0)
	s := NewSeries(t0, time.Second, 1_000_000)
	var errs Errors
	var statuses [1000]uint64
	// Interval 0: two latencies, 10 requests, one 500.
	s.Latency(t0.Add(100*time.Millisecond), 1000)
	s.Latency(t0.Add(900*time.Millisecond), 3000)
	statuses[200], statuses[500] = 9, 1
	errs.Status = 1
	s.Sample(t0.Add(950*time.Millisecond), 10, 1000, &errs, &statuses)
	// Interval 2 (1 is empty): a timeout and 5 more requests.
	errs.Timeout++
	statuses[200] += 5
	s.Latency(t0.Add(2500*time.Millisecond), 2_000_000) // beyond the limit: not recorded
	s.Latency(t0.Add(2500*time.Millisecond), 500)
	s.Lag(t0.Add(2600*time.Millisecond), 77)
	s.Sample(t0.Add(2700*time.Millisecond), 15, 1500, &errs, &statuses)
	ivs := s.Finish()
	if len(ivs) != 2 || ivs[0].Index != 0 || ivs[1].Index != 2 {
		t.Fatalf("intervals %+v, want indexes 0 and 2", ivs)
	}
	if ivs[0].Requests != 10 || ivs[0].Bytes != 1000 || ivs[0].Errors.Status != 1 || ivs[0].Statuses[500] != 1 || ivs[0].LatencyMax != 3000 {
		t.Errorf("interval 0: %+v", ivs[0])
	}
	if ivs[1].Requests != 5 || ivs[1].Errors.Timeout != 1 || ivs[1].Errors.Status != 0 || ivs[1].Statuses[200] != 5 || ivs[1].LagMaxUS != 77 {
		t.Errorf("interval 2: %+v", ivs[1])
	}
	// Two threads merge by interval; the gap is filled with an empty one.
	other := []Interval{{Index: 0, Requests: 4, Latency: []Bucket{{Value: 5000, Count: 2}}, LatencyMax: 5000}}
	tl := MergeThreads(t0, time.Second, 1_000_000, [][]Interval{ivs, other})
	if len(tl.Intervals) != 3 || tl.Intervals[1].Requests != 0 || tl.Intervals[0].Requests != 14 {
		t.Fatalf("timeline %+v", tl.Intervals)
	}
	h := tl.Intervals[0].Hist
	if h.Count() != 4 || h.Quantile(100) != 5000 || h.Quantile(50) < 2900 || h.Quantile(50) > 3100 {
		t.Errorf("interval 0 histogram: count %d, p50 %d, max %d", h.Count(), h.Quantile(50), h.Quantile(100))
	}
	// A last interval that covers a sliver of the run folds into the one
	// before it.
	tl.FoldTail(2*time.Second + 50*time.Millisecond)
	if len(tl.Intervals) != 2 || tl.Intervals[1].Requests != 5 {
		t.Errorf("after FoldTail: %+v", tl.Intervals)
	}
}

func TestPathCounts(t *testing.T) {
	var p PathCounts
	p.AddRequest([]byte("GET /a?x=1 HTTP/1.1\r\n"), 1)
	p.AddRequest([]byte("GET /a?x=2 HTTP/1.1\r\n"), 2)
	p.AddRequest([]byte("POST /b HTTP/1.1\r\n"), 1)
	p.AddRequest([]byte("garbage"), 1)
	for i := range 2000 { // more distinct paths than kept
		p.AddRequest([]byte("GET /id/"+string(rune('a'+i%26))+string(rune('a'+i/26%26))+string(rune('a'+i/676))+" HTTP/1.1\r\n"), 1)
	}
	if len(p.Counts) > maxPaths {
		t.Errorf("%d distinct paths kept, bound %d", len(p.Counts), maxPaths)
	}
	top, rest := p.Top(2)
	if len(top) != 2 || top[0] != (PathCount{"/a", 3}) || top[1] != (PathCount{"/b", 1}) && top[1].Requests != 1 {
		t.Errorf("top %+v", top)
	}
	var total uint64
	for _, c := range top {
		total += c.Requests
	}
	if total+rest != 2005 {
		t.Errorf("top %d + rest %d = %d requests, want 2005", total, rest, total+rest)
	}
}

// TestSeriesHTTP2Errors: stream and connection errors land in their
// interval like the others.
func TestSeriesHTTP2Errors(t *testing.T) {
	t.Parallel()
	start := time.Now()
	s := NewSeries(start, time.Second, 1_000_000)
	var e Errors
	var st [1000]uint64
	e.StreamError("CANCEL")
	e.ConnError("PROTOCOL_ERROR")
	s.Sample(start.Add(100*time.Millisecond), 0, 0, &e, &st)
	e.StreamError("CANCEL")
	s.Sample(start.Add(1100*time.Millisecond), 0, 0, &e, &st)
	ivs := s.Finish()
	if len(ivs) != 2 || ivs[0].Errors.Stream != 1 || ivs[0].Errors.Conn != 1 || ivs[1].Errors.Stream != 1 || ivs[1].Errors.Total() != 1 {
		t.Fatalf("intervals %+v", ivs)
	}
}
