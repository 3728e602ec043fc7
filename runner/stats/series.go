package stats

import (
	"fmt"
	"math"
	"sort"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Per-interval time series. Each worker owns a Series: one live
// histogram for the interval in progress, folded into a sparse list of
// buckets when the interval ends, so that memory grows with the distinct
// latencies of each interval rather than with the histogram's range (a
// dense HdrHistogram of a 2 s range is ~100 KiB; an hour of 1 s intervals
// on four threads would otherwise hold gigabytes).

// intervalSigFigs is the interval histograms' precision: 1% is plenty for
// a chart and a comparison, and keeps their sparse form small.
const intervalSigFigs = 2

// MaxIntervals bounds the intervals of one series; later samples are
// counted in the last one. The CLI refuses an --interval that would
// exceed it.
const MaxIntervals = 100000

// IntervalErrors counts errors of one interval by kind (no causes).
type IntervalErrors struct {
	Connect, Read, Write, Timeout, Status uint64
	Stream, Conn                          uint64 // HTTP/2 (Errors.Stream, Errors.Conn)
}

func (e *IntervalErrors) add(o IntervalErrors) {
	e.Connect += o.Connect
	e.Read += o.Read
	e.Write += o.Write
	e.Timeout += o.Timeout
	e.Status += o.Status
	e.Stream += o.Stream
	e.Conn += o.Conn
}

// Total is every error of the interval.
func (e IntervalErrors) Total() uint64 {
	return e.Connect + e.Read + e.Write + e.Timeout + e.Status + e.Stream + e.Conn
}

// Interval is one interval's counters and latencies.
type Interval struct {
	Index    int // start = series start + Index·interval
	Requests uint64
	Bytes    uint64
	Errors   IntervalErrors
	Statuses map[int]uint64
	// Latency holds the interval's latency samples (µs) as sorted
	// distinct bucket values with counts.
	Latency    []Bucket
	LatencyMax int64 // largest real sample, µs
	LagMaxUS   int64 // -R: largest scheduling lag of the interval, µs
}

// Series is one thread's time series. Not safe for concurrent use.
type Series struct {
	start    time.Time
	interval time.Duration
	limitUS  int64
	cur      *Interval
	hist     *hdrhistogram.Histogram
	done     []Interval

	// Snapshots of the worker's cumulative counters at the last Sample.
	last struct {
		requests, bytes uint64
		errs            IntervalErrors
		statuses        [1000]uint64
	}
}

// NewSeries starts a series at start with the given interval; latencies
// at or above limitUS are not recorded (as in Latency).
func NewSeries(start time.Time, interval time.Duration, limitUS int64) *Series {
	if interval <= 0 {
		interval = time.Second
	}
	return &Series{start: start, interval: interval, limitUS: max(limitUS, 2)}
}

// Interval returns the series' interval length.
func (s *Series) Interval() time.Duration { return s.interval }

// Start returns the series' start.
func (s *Series) Start() time.Time { return s.start }

func (s *Series) index(t time.Time) int {
	d := t.Sub(s.start)
	if d < 0 {
		return 0
	}
	return min(int(d/s.interval), MaxIntervals-1)
}

// at returns the interval holding t, ending the current one when t is past
// it. Time only moves forward on one thread; a t before the current
// interval is counted in it.
func (s *Series) at(t time.Time) *Interval {
	i := s.index(t)
	if s.cur != nil && i <= s.cur.Index {
		return s.cur
	}
	s.flush()
	s.cur = &Interval{Index: i}
	return s.cur
}

func (s *Series) flush() {
	if s.cur == nil {
		return
	}
	if s.hist != nil && s.hist.TotalCount() > 0 {
		for _, b := range s.hist.Distribution() {
			if b.Count > 0 {
				s.cur.Latency = append(s.cur.Latency, Bucket{Value: uint64(b.From), Count: uint64(b.Count)})
			}
		}
		s.hist.Reset()
	}
	s.done = append(s.done, *s.cur)
	s.cur = nil
}

// Latency records one latency sample (µs) completed at t.
func (s *Series) Latency(t time.Time, us int64) {
	if us >= s.limitUS {
		return
	}
	us = max(us, 0)
	iv := s.at(t)
	if s.hist == nil {
		s.hist = hdrhistogram.New(1, s.limitUS, intervalSigFigs)
	}
	if s.hist.RecordValue(us) == nil {
		iv.LatencyMax = max(iv.LatencyMax, us)
	}
}

// Lag records one scheduling lag (µs) of a batch sent at t.
func (s *Series) Lag(t time.Time, us int64) {
	iv := s.at(t)
	iv.LagMaxUS = max(iv.LagMaxUS, us)
}

// Sample attributes what the worker's cumulative counters gained since the
// last call to the interval holding t (the worker calls it every 100 ms and
// once at the end, so counters are placed within 100 ms).
func (s *Series) Sample(t time.Time, requests, bytes uint64, e *Errors, statuses *[1000]uint64) {
	iv := s.at(t)
	iv.Requests += requests - s.last.requests
	iv.Bytes += bytes - s.last.bytes
	now := IntervalErrors{Connect: e.Connect, Read: e.Read, Write: e.Write, Timeout: e.Timeout, Status: e.Status,
		Stream: e.Stream, Conn: e.Conn}
	iv.Errors.add(IntervalErrors{
		Connect: now.Connect - s.last.errs.Connect, Read: now.Read - s.last.errs.Read,
		Write: now.Write - s.last.errs.Write, Timeout: now.Timeout - s.last.errs.Timeout,
		Status: now.Status - s.last.errs.Status,
		Stream: now.Stream - s.last.errs.Stream, Conn: now.Conn - s.last.errs.Conn,
	})
	for code, n := range statuses {
		if d := n - s.last.statuses[code]; d > 0 {
			if iv.Statuses == nil {
				iv.Statuses = map[int]uint64{}
			}
			iv.Statuses[code] += d
		}
	}
	s.last.requests, s.last.bytes, s.last.errs, s.last.statuses = requests, bytes, now, *statuses
}

// Finish ends the series and returns its intervals in order.
func (s *Series) Finish() []Interval {
	s.flush()
	return s.done
}

// MergedInterval is one interval of a run: every thread's (or shard's)
// samples of that interval combined.
type MergedInterval struct {
	Index    int
	Requests uint64
	Bytes    uint64
	Errors   IntervalErrors
	Statuses map[int]uint64
	Hist     *Latency // the interval's latencies (2 significant digits)
	LagMaxUS int64
}

// Timeline is a run's time series.
type Timeline struct {
	Start     time.Time
	Interval  time.Duration
	Intervals []MergedInterval // ascending Index, without gaps
	Lag       bool             // -R: intervals carry the scheduling lag
}

// Add merges one interval into the timeline at index i (growing it).
func (tl *Timeline) Add(i int, iv MergedInterval) error {
	if i < 0 || i >= MaxIntervals {
		return fmt.Errorf("interval %d is outside 0..%d", i, MaxIntervals-1)
	}
	for len(tl.Intervals) <= i {
		tl.Intervals = append(tl.Intervals, MergedInterval{Index: len(tl.Intervals)})
	}
	m := &tl.Intervals[i]
	m.Requests += iv.Requests
	m.Bytes += iv.Bytes
	m.Errors.add(iv.Errors)
	for c, n := range iv.Statuses {
		if m.Statuses == nil {
			m.Statuses = map[int]uint64{}
		}
		m.Statuses[c] += n
	}
	if iv.Hist != nil {
		if m.Hist == nil {
			m.Hist = iv.Hist.Clone()
		} else {
			m.Hist.Merge(iv.Hist)
		}
	}
	m.LagMaxUS = max(m.LagMaxUS, iv.LagMaxUS)
	return nil
}

// MergeThreads combines the threads' series of one run into its timeline.
func MergeThreads(start time.Time, interval time.Duration, limitUS int64, threads [][]Interval) *Timeline {
	tl := &Timeline{Start: start, Interval: interval}
	for _, ivs := range threads {
		for _, iv := range ivs {
			var h *Latency
			if len(iv.Latency) > 0 {
				h = newIntervalLatency(limitUS)
				for _, b := range iv.Latency {
					_ = h.h.RecordValues(int64(b.Value), int64(b.Count))
				}
				h.min = int64(iv.Latency[0].Value)
				h.max = iv.LatencyMax
			}
			// Indexes come from Series.index and are in range.
			_ = tl.Add(iv.Index, MergedInterval{
				Requests: iv.Requests, Bytes: iv.Bytes, Errors: iv.Errors, Statuses: iv.Statuses,
				Hist: h, LagMaxUS: iv.LagMaxUS,
			})
		}
	}
	return tl
}

func newIntervalLatency(limitUS int64) *Latency {
	return &Latency{h: hdrhistogram.New(1, max(limitUS, 2), intervalSigFigs), limit: limitUS, min: math.MaxInt64}
}

// PathCounts counts requests by path (without the query), keeping at most
// maxPaths distinct paths; the rest are counted in Other.
type PathCounts struct {
	Counts map[string]uint64
	Other  uint64
}

// maxPaths bounds the distinct paths one thread keeps (a script that puts
// an id in every path would otherwise grow the map without end).
const maxPaths = 1024

// maxPathLen bounds a counted path's length.
const maxPathLen = 256

// AddRequest counts the request whose bytes start at req (its request
// line), n times.
func (p *PathCounts) AddRequest(req []byte, n uint64) {
	path, ok := requestPath(req)
	if !ok {
		p.Other += n
		return
	}
	if c, seen := p.Counts[string(path)]; seen { // no allocation on lookup
		p.Counts[string(path)] = c + n
		return
	}
	if len(p.Counts) >= maxPaths {
		p.Other += n
		return
	}
	if p.Counts == nil {
		p.Counts = map[string]uint64{}
	}
	p.Counts[string(path)] = n
}

// requestPath returns the path of "METHOD SP TARGET SP ..." without its
// query, cut at maxPathLen.
func requestPath(req []byte) ([]byte, bool) {
	sp := -1
	for i := 0; i < len(req) && i < 32; i++ {
		if req[i] == ' ' {
			sp = i
			break
		}
	}
	if sp < 0 {
		return nil, false
	}
	rest := req[sp+1:]
	for i := 0; i < len(rest) && i <= maxPathLen; i++ {
		switch rest[i] {
		case ' ', '?', '\r', '\n':
			return rest[:i], i > 0
		}
	}
	if len(rest) > maxPathLen {
		return rest[:maxPathLen], true
	}
	return nil, false
}

// Merge adds o's counts to p, with the same bound.
func (p *PathCounts) Merge(o PathCounts) {
	p.Other += o.Other
	for k, n := range o.Counts {
		if _, seen := p.Counts[k]; !seen && len(p.Counts) >= maxPaths {
			p.Other += n
			continue
		}
		if p.Counts == nil {
			p.Counts = map[string]uint64{}
		}
		p.Counts[k] += n
	}
}

// PathCount is one path and its requests.
type PathCount struct {
	Path     string
	Requests uint64
}

// Top returns the n paths with the most requests (ties by path) and the
// sum of the others' requests.
func (p PathCounts) Top(n int) ([]PathCount, uint64) {
	all := make([]PathCount, 0, len(p.Counts))
	for k, c := range p.Counts {
		all = append(all, PathCount{k, c})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Requests != all[j].Requests {
			return all[i].Requests > all[j].Requests
		}
		return all[i].Path < all[j].Path
	})
	rest := p.Other
	if len(all) > n {
		for _, c := range all[n:] {
			rest += c.Requests
		}
		all = all[:n]
	}
	return all, rest
}

// NewIntervalLatency returns an empty histogram with the interval
// histograms' precision (merging and decoding results).
func NewIntervalLatency(limitUS int64) *Latency { return newIntervalLatency(limitUS) }

// Quantile returns the value at quantile q (0–100) of the samples, 0 when
// empty, and the real maximum for q = 100.
func (l *Latency) Quantile(q float64) int64 {
	if l == nil || l.h.TotalCount() == 0 {
		return 0
	}
	if q >= 100 {
		return l.max
	}
	// HdrHistogram answers with the top of a bucket, which may lie above
	// the largest sample.
	return min(l.h.ValueAtQuantile(q), l.max)
}

// Distribution returns the histogram's non-empty buckets (value = the
// bucket's lowest value) in ascending order.
func (l *Latency) Distribution() []Bucket {
	var out []Bucket
	for _, b := range l.h.Distribution() {
		if b.Count > 0 {
			out = append(out, Bucket{Value: uint64(b.From), Count: uint64(b.Count)})
		}
	}
	return out
}

// FoldTail moves a last interval that covers less than a tenth of an
// interval of the run (the counters' final sample, taken as the run
// stops) into the one before it, where its few samples belong.
func (tl *Timeline) FoldTail(runtime time.Duration) {
	n := len(tl.Intervals)
	if n < 2 {
		return
	}
	last := tl.Intervals[n-1]
	if runtime-time.Duration(last.Index)*tl.Interval >= tl.Interval/10 {
		return
	}
	tl.Intervals = tl.Intervals[:n-1]
	// The index is in range: it is the one before an existing interval.
	_ = tl.Add(n-2, last)
}
