// Package stats holds wrkrun's measurements: per-thread latency histograms,
// per-thread request-rate samples and error counters, and the Summary of a
// finished run that the output writers render.
//
// # Meaning (as wrk 4.x)
//
// Latency is measured per request batch, from the first byte written to the
// end of the last response of the batch, in microseconds. A latency at or
// above the --timeout limit is not recorded; it counts as a timeout error.
// After the run, wrk's coordinated-omission correction (Latency.Correct) adds
// synthetic samples; the printed latency row and percentiles include them.
//
// Req/Sec is the distribution of per-thread throughput samples, one per
// thread every 100 ms interval in which at least one response completed.
//
// # Resolution
//
// Latencies are kept in an HdrHistogram with 3 significant digits: exact up
// to 2047 µs, then within 0.1%. wrk keeps one bucket per microsecond; the
// difference only shows in the last printed digit of large values.
package stats

import (
	"fmt"
	"math"
	"sort"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Errors counts failures with wrk's taxonomy.
type Errors struct {
	Connect uint64 // socket, connect or TLS handshake failed
	Read    uint64 // read error, unparseable response or premature EOF
	Write   uint64 // write error
	Timeout uint64 // response later than --timeout, or none within it
	Status  uint64 // responses with status > 399

	// ConnectCauses and ReadCauses break Connect and Read down by cause:
	// an errno name (ECONNREFUSED, ECONNRESET), or "parse", "eof", "tls"
	// for failures that have none. Nil until the first such error, so the
	// error-free hot path never touches them.
	ConnectCauses map[string]uint64
	ReadCauses    map[string]uint64

	// HTTP/2 only. Stream counts streams that ended without a response:
	// the server reset them (RST_STREAM) or sent a malformed response the
	// client reset. Conn counts connections that ended on a connection
	// error: a GOAWAY with an error code, or a protocol error either side
	// found. Their causes are the HTTP/2 error code names (REFUSED_STREAM,
	// PROTOCOL_ERROR, …), a connection's prefixed with "GOAWAY " when the
	// server sent it.
	Stream       uint64
	Conn         uint64
	StreamCauses map[string]uint64
	ConnCauses   map[string]uint64
}

// StreamError counts one HTTP/2 stream error with its cause.
func (e *Errors) StreamError(cause string) {
	e.Stream++
	e.StreamCauses = addCause(e.StreamCauses, cause, 1)
}

// ConnError counts one HTTP/2 connection error with its cause.
func (e *Errors) ConnError(cause string) {
	e.Conn++
	e.ConnCauses = addCause(e.ConnCauses, cause, 1)
}

// ConnectError counts one connect error with its cause.
func (e *Errors) ConnectError(cause string) {
	e.Connect++
	e.ConnectCauses = addCause(e.ConnectCauses, cause, 1)
}

// ReadError counts one read error with its cause.
func (e *Errors) ReadError(cause string) {
	e.Read++
	e.ReadCauses = addCause(e.ReadCauses, cause, 1)
}

func addCause(m map[string]uint64, cause string, n uint64) map[string]uint64 {
	if m == nil {
		m = map[string]uint64{}
	}
	m[cause] += n
	return m
}

// Add adds o to e.
func (e *Errors) Add(o Errors) {
	e.Connect += o.Connect
	e.Read += o.Read
	e.Write += o.Write
	e.Timeout += o.Timeout
	e.Status += o.Status
	for k, n := range o.ConnectCauses {
		e.ConnectCauses = addCause(e.ConnectCauses, k, n)
	}
	for k, n := range o.ReadCauses {
		e.ReadCauses = addCause(e.ReadCauses, k, n)
	}
	e.Stream += o.Stream
	e.Conn += o.Conn
	for k, n := range o.StreamCauses {
		e.StreamCauses = addCause(e.StreamCauses, k, n)
	}
	for k, n := range o.ConnCauses {
		e.ConnCauses = addCause(e.ConnCauses, k, n)
	}
}

// Latency records request-batch latencies in microseconds for one thread.
// It is not safe for concurrent use; merge thread histograms after the run.
type Latency struct {
	h     *hdrhistogram.Histogram
	limit int64 // exclusive upper bound, µs
	min   int64 // smallest real (not synthetic) sample
	max   int64 // largest real sample
}

// NewLatency returns a histogram accepting values below limitUS.
func NewLatency(limitUS int64) *Latency {
	// HdrHistogram needs a range of at least 2; a --timeout of 0 still
	// rejects every value through limit.
	return &Latency{h: hdrhistogram.New(1, max(limitUS, 2), 3), limit: limitUS, min: math.MaxInt64}
}

// Record adds one sample and reports false, recording nothing, when the
// value is at or beyond the limit (the caller counts a timeout).
func (l *Latency) Record(us int64) bool {
	if us >= l.limit {
		return false
	}
	if us < 0 {
		us = 0
	}
	if l.h.RecordValue(us) != nil {
		return false
	}
	if us < l.min {
		l.min = us
	}
	if us > l.max {
		l.max = us
	}
	return true
}

// ValueAtQuantile returns the value at quantile q (0–100) of the samples so
// far, for the live progress line.
func (l *Latency) ValueAtQuantile(q float64) int64 { return l.h.ValueAtQuantile(q) }

// Count is the number of samples, synthetic ones included.
func (l *Latency) Count() int64 { return l.h.TotalCount() }

// Merge adds all samples of o to l.
func (l *Latency) Merge(o *Latency) {
	l.h.Merge(o.h)
	if o.h.TotalCount() > 0 {
		l.min = min(l.min, o.min)
		l.max = max(l.max, o.max)
	}
}

// Correct applies wrk's coordinated-omission correction for an expected
// interval (µs) between requests on a connection: every sample v ≥ 2·expected
// adds, with its count, synthetic samples at v−expected, v−2·expected, … while
// they stay above expected. As in wrk, min and max are left alone, and the
// statistics later ignore synthetic samples outside [min, max] except in the
// total count.
func (l *Latency) Correct(expected int64) {
	if expected <= 0 || l.h.TotalCount() == 0 {
		return
	}
	// wrk walks buckets upward and only ever adds below the current value,
	// so correcting from a snapshot gives exactly its result.
	for _, b := range l.h.Distribution() {
		v := b.From
		if b.Count == 0 || v < 2*expected {
			continue
		}
		for m := v - expected; m > expected; m -= expected {
			_ = l.h.RecordValues(m, b.Count)
		}
	}
}

// Encode returns the histogram in HdrHistogram's V2 compressed format,
// base64-encoded, as other HdrHistogram tools read and merge it.
func (l *Latency) Encode() (string, error) {
	b, err := l.h.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
	if err != nil {
		return "", fmt.Errorf("encoding the latency histogram: %w", err)
	}
	return string(b), nil
}

// Dist computes the printed statistics over the samples.
func (l *Latency) Dist() Dist {
	var pairs []pair
	// Samples are keyed by their bucket's lowest value, so the [min, max]
	// window of wrk's sums is widened to the buckets holding min and max.
	lo, hi := uint64(l.min), uint64(l.max)
	if l.h.TotalCount() > 0 {
		for _, b := range l.h.Distribution() {
			if b.From <= l.min && l.min <= b.To {
				lo = uint64(b.From)
			}
			if b.From <= l.max && l.max <= b.To {
				hi = uint64(b.From)
			}
			if b.Count > 0 {
				pairs = append(pairs, pair{uint64(b.From), uint64(b.Count)})
			}
		}
	}
	if len(pairs) == 0 {
		return Dist{Within: math.NaN()}
	}
	d := newDist(pairs, uint64(l.h.TotalCount()), lo, hi)
	d.Max = uint64(l.max)
	return d
}

// Rates collects Req/Sec samples: one thread's, or, merged, a run's.
type Rates struct {
	samples []uint64
	// counted are samples added by value and count (another process's,
	// through AddBuckets), kept that way so that a count costs no memory.
	counted []Bucket
}

// Record adds one requests-per-second sample.
func (r *Rates) Record(v uint64) { r.samples = append(r.samples, v) }

// Merge adds o's samples to r.
func (r *Rates) Merge(o *Rates) {
	r.samples = append(r.samples, o.samples...)
	r.counted = append(r.counted, o.counted...)
}

// Count is the number of samples.
func (r *Rates) Count() uint64 {
	n := uint64(len(r.samples))
	for _, b := range r.counted {
		n += b.Count
	}
	return n
}

// Buckets returns the distinct samples in ascending order with their
// counts: an exact, compact form of the samples for merging.
func (r *Rates) Buckets() []Bucket {
	all := make([]Bucket, 0, len(r.samples)+len(r.counted))
	for _, v := range r.samples {
		all = append(all, Bucket{Value: v, Count: 1})
	}
	for _, b := range r.counted {
		if b.Count > 0 {
			all = append(all, b)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Value < all[j].Value })
	var out []Bucket
	for _, b := range all {
		if n := len(out); n > 0 && out[n-1].Value == b.Value {
			out[n-1].Count += b.Count
			continue
		}
		out = append(out, b)
	}
	return out
}

// maxRateSamples bounds the samples AddBuckets accepts: no run comes near
// it, and sums of counts stay far from overflowing.
const maxRateSamples = 1 << 48

// AddBuckets adds count samples of each bucket's value (Buckets' output).
func (r *Rates) AddBuckets(bs []Bucket) error {
	total := r.Count()
	for _, b := range bs {
		if b.Count > maxRateSamples || total+b.Count > maxRateSamples {
			return fmt.Errorf("more than %d Req/Sec samples", uint64(maxRateSamples))
		}
		total += b.Count
	}
	r.counted = append(r.counted, bs...)
	return nil
}

// Dist computes the printed statistics over the samples.
func (r *Rates) Dist() Dist {
	bs := r.Buckets()
	if len(bs) == 0 {
		return Dist{Within: math.NaN()}
	}
	pairs := make([]pair, len(bs))
	var count uint64
	for i, b := range bs {
		pairs[i] = pair{b.Value, b.Count}
		count += b.Count
	}
	return newDist(pairs, count, bs[0].Value, bs[len(bs)-1].Value)
}

// Dist is a finished distribution as the report prints it. An empty one has
// Count 0 and Within NaN (wrk prints 0 and -nan% for it).
type Dist struct {
	Count  uint64
	Mean   float64
	Stdev  float64
	Max    uint64
	Within float64 // % of samples within mean ± 1 stdev (0/0 when empty)
	pairs  []pair
	min    uint64 // window of values the sums and percentiles consider
	hi     uint64
}

type pair struct{ v, c uint64 }

// newDist follows wrk's stats.c: sums run over [min, max] only, but divide
// by the total count, which after Correct may include samples below min.
func newDist(pairs []pair, count, lo, hi uint64) Dist {
	d := Dist{Count: count, Max: hi, pairs: pairs, min: lo, hi: hi}
	var sum float64
	for _, p := range pairs {
		if p.v >= lo && p.v <= hi {
			sum += float64(p.v) * float64(p.c)
		}
	}
	d.Mean = sum / float64(count)
	if count > 1 {
		var sq float64
		for _, p := range pairs {
			if p.v >= lo && p.v <= hi {
				dv := d.Mean - float64(p.v)
				sq += dv * dv * float64(p.c)
			}
		}
		d.Stdev = math.Sqrt(sq / float64(count-1))
	}
	lower, upper := d.Mean-d.Stdev, d.Mean+d.Stdev
	var within uint64
	for _, p := range pairs {
		v := float64(p.v)
		if p.v >= lo && p.v <= hi && v >= lower && v <= upper {
			within += p.c
		}
	}
	d.Within = float64(within) / float64(count) * 100
	return d
}

// Min is the smallest value the statistics consider (the bucket of the
// smallest real sample); 0 when empty.
func (d Dist) Min() uint64 {
	if d.Count == 0 {
		return 0
	}
	return d.min
}

// Bucket is one distinct value and the number of samples at it.
type Bucket struct {
	Value, Count uint64
}

// Buckets returns the distinct values in [Min, Max] in ascending order with
// their counts: what a wrk stats object enumerates with s(i) and #s.
func (d Dist) Buckets() []Bucket {
	var out []Bucket
	for _, p := range d.pairs {
		if p.v >= d.min && p.v <= d.hi {
			out = append(out, Bucket{Value: p.v, Count: p.c})
		}
	}
	return out
}

// Percentile returns the value at percentile p (0–100) with wrk's rule:
// rank = round(p/100·count + 0.5), the first value whose cumulative count
// reaches the rank. Unlike wrk, p = 100 returns the maximum instead of 0.
func (d Dist) Percentile(p float64) uint64 {
	if d.Count == 0 {
		return 0
	}
	rank := uint64(math.Round(p/100*float64(d.Count) + 0.5))
	var total uint64
	for _, pr := range d.pairs {
		if pr.v < d.min || pr.v > d.hi {
			continue
		}
		total += pr.c
		if total >= rank {
			return pr.v
		}
	}
	return d.Max
}

// Summary is the plain-data result of a run: everything the report needs.
type Summary struct {
	URL         string        // as typed by the user
	Duration    time.Duration // requested duration (-d)
	Threads     int
	Connections int // requested connections
	Latency     Dist
	ReqPerSec   Dist
	Percentiles []Percentile  // latency percentiles for --latency, ascending
	Requests    uint64        // completed responses
	Bytes       uint64        // bytes read that belonged to parsed responses
	Runtime     time.Duration // wall time of the run
	// Interrupted: the run was ended early by its context (SIGINT), so
	// Runtime is shorter than Duration and the figures cover a partial run.
	Interrupted bool
	Errors      Errors
	StatusCodes map[int]uint64 // responses by status code
	// LatencyHist is the merged latency histogram behind Latency (µs,
	// corrected as the report's), for exact percentiles and encoding. It is
	// encoded only on demand: encoding costs about 2000 allocations.
	LatencyHist *Latency

	// With -R (Rate > 0), Latency is measured from the intended send
	// times; Uncorrected and UncorrectedHist from the actual ones.
	Rate            int
	Uncorrected     Dist
	UncorrectedHist *Latency
	// ScheduleLagHist is, with -R, how late each batch was sent: actual
	// minus intended send time (µs). It is the runner's own error, included
	// in Latency; nil without -R or from a merge.
	ScheduleLagHist *Latency

	// For merging runs (wrkrun merge): the latency histogram before wrk's
	// correction, the Req/Sec samples, and when the measurement started
	// (wall clock) next to when it was asked to (--start-at; zero: not
	// asked).
	RawLatencyHist *Latency
	Rates          *Rates
	Start, StartAt time.Time

	// Timeline is the run's per-interval series (--interval); Paths the
	// requests sent by path. Nil Timeline: not recorded.
	Timeline *Timeline
	Paths    PathCounts

	// TLS counts the handshakes of an https run; nil for plain HTTP.
	TLS *TLSHandshakes
	// Protocol is what the responses came over: "HTTP/1.1", "HTTP/2", or
	// "mixed" when --http2=auto met servers that differed.
	Protocol string
}

// TLSHandshakes counts completed TLS handshakes: Full ones and those that
// Resumed an earlier connection's session.
type TLSHandshakes struct {
	Full, Resumed uint64
}

// Percentile is one row of the latency distribution.
type Percentile struct {
	P     float64 // 0–100
	Value uint64  // µs
}

// ReportPercentiles returns the rows wrk prints with --latency.
func ReportPercentiles() []float64 { return []float64{50, 75, 90, 99} }

// Clone returns an independent copy of l (the raw histogram is kept
// before Correct adds its synthetic samples).
func (l *Latency) Clone() *Latency {
	c := *l
	c.h = hdrhistogram.Import(l.h.Export())
	return &c
}

// Bounds returns the smallest and largest real (not synthetic) samples;
// ok is false when nothing was recorded. With the encoded histogram they
// let DecodeLatency rebuild l exactly.
func (l *Latency) Bounds() (minUS, maxUS int64, ok bool) {
	if l.h.TotalCount() == 0 {
		return 0, 0, false
	}
	return l.min, l.max, true
}

// DecodeLatency rebuilds a Latency from Encode's output and Bounds' values
// (another process's, for merging). The histogram keeps its own range.
func DecodeLatency(data string, minUS, maxUS int64) (*Latency, error) {
	h, err := hdrhistogram.Decode([]byte(data))
	if err != nil {
		return nil, fmt.Errorf("decoding a latency histogram: %w", err)
	}
	l := &Latency{h: h, limit: h.HighestTrackableValue() + 1, min: math.MaxInt64}
	if h.TotalCount() > 0 {
		if minUS < 0 || maxUS < minUS {
			return nil, fmt.Errorf("latency bounds %d..%d µs are not a range", minUS, maxUS)
		}
		l.min, l.max = minUS, maxUS
	}
	return l, nil
}

// ShareOf is shard i's part of total split over n shards: total/n, plus
// one of the remainder for the lowest indexes (connections and -R rate
// of a sharded run).
func ShareOf(total, n, i int) int {
	if n <= 0 {
		return total
	}
	s := total / n
	if i < total%n {
		s++
	}
	return s
}
