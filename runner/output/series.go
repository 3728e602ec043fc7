package output

import (
	"strconv"
	"time"

	"github.com/wrklint/wrklint/runner/stats"
)

// TopPaths is how many request paths the result lists by name.
const TopPaths = 10

// ResultSeries is the per-interval time series of a run.
type ResultSeries struct {
	IntervalSeconds float64          `json:"interval_seconds"`
	Intervals       []ResultInterval `json:"intervals"`
}

// ResultInterval is one interval: counters, latency percentiles from the
// interval's own histogram (2 significant digits), and that histogram for
// merging and comparing.
type ResultInterval struct {
	// StartSeconds is the interval's start after run.start_time.
	StartSeconds    float64               `json:"start_seconds"`
	DurationSeconds float64               `json:"duration_seconds"`
	Requests        uint64                `json:"requests"`
	Bytes           uint64                `json:"bytes"`
	Errors          ResultIntervalErrors  `json:"errors"`
	StatusCodes     map[string]uint64     `json:"status_codes"`
	Latency         ResultIntervalLatency `json:"latency"`
	ScheduleLagMax  *int64                `json:"schedule_lag_max_us,omitempty"`
}

// ResultIntervalErrors are one interval's errors by kind.
type ResultIntervalErrors struct {
	Connect uint64 `json:"connect"`
	Read    uint64 `json:"read"`
	Write   uint64 `json:"write"`
	Timeout uint64 `json:"timeout"`
	Status  uint64 `json:"status"`
	// HTTP/2 stream and connection errors; absent when 0.
	Stream     uint64 `json:"stream,omitempty"`
	Connection uint64 `json:"connection,omitempty"`
}

// ResultIntervalLatency summarises one interval's latencies.
type ResultIntervalLatency struct {
	Count     uint64 `json:"count"`
	P50US     int64  `json:"p50_us"`
	P90US     int64  `json:"p90_us"`
	P99US     int64  `json:"p99_us"`
	MaxUS     int64  `json:"max_us"`
	Histogram string `json:"histogram"` // HdrHistogram V2 compressed, base64; "" when empty
}

// ResultPaths counts requests sent by path (query stripped).
type ResultPaths struct {
	Top   []ResultPath `json:"top"`
	Other uint64       `json:"other"`
}

// ResultPath is one path's requests.
type ResultPath struct {
	Path     string `json:"path"`
	Requests uint64 `json:"requests"`
}

func seriesOf(tl *stats.Timeline, runtime time.Duration) *ResultSeries {
	if tl == nil {
		return nil
	}
	out := &ResultSeries{IntervalSeconds: tl.Interval.Seconds(), Intervals: []ResultInterval{}}
	for _, iv := range tl.Intervals {
		startD := time.Duration(iv.Index) * tl.Interval
		d := min(tl.Interval, runtime-startD)
		if d <= 0 {
			d = tl.Interval // samples placed after the measured end (the last tick)
		}
		ri := ResultInterval{
			StartSeconds: startD.Seconds(), DurationSeconds: d.Seconds(),
			Requests: iv.Requests, Bytes: iv.Bytes,
			Errors: ResultIntervalErrors{
				Connect: iv.Errors.Connect, Read: iv.Errors.Read, Write: iv.Errors.Write,
				Timeout: iv.Errors.Timeout, Status: iv.Errors.Status,
				Stream: iv.Errors.Stream, Connection: iv.Errors.Conn,
			},
			StatusCodes: map[string]uint64{},
		}
		for c, n := range iv.Statuses {
			ri.StatusCodes[strconv.Itoa(c)] = n
		}
		if h := iv.Hist; h != nil && h.Count() > 0 {
			ri.Latency = ResultIntervalLatency{
				Count: uint64(h.Count()), P50US: h.Quantile(50), P90US: h.Quantile(90),
				P99US: h.Quantile(99), MaxUS: h.Quantile(100),
			}
			ri.Latency.Histogram, _ = h.Encode() // a failure only costs the interval its histogram
		}
		if iv.LagMaxUS > 0 || tl.Lag {
			lag := iv.LagMaxUS
			ri.ScheduleLagMax = &lag
		}
		out.Intervals = append(out.Intervals, ri)
	}
	return out
}

func pathsOf(p stats.PathCounts) *ResultPaths {
	if len(p.Counts) == 0 && p.Other == 0 {
		return nil
	}
	top, other := p.Top(TopPaths)
	out := &ResultPaths{Top: []ResultPath{}, Other: other}
	for _, c := range top {
		out.Top = append(out.Top, ResultPath{Path: c.Path, Requests: c.Requests})
	}
	return out
}

// Timeline rebuilds a result's time series (merging, comparing, charts);
// nil when the result has none. Interval histograms that do not decode are
// left out of their interval.
func (r *Result) Timeline() *stats.Timeline {
	// A hostile file's interval must not divide by zero or overflow.
	if r.Series == nil || r.Series.IntervalSeconds < 0.001 || r.Series.IntervalSeconds > 86400 {
		return nil
	}
	iv := time.Duration(r.Series.IntervalSeconds * float64(time.Second))
	tl := &stats.Timeline{Start: r.Run.StartTime, Interval: iv, Lag: r.Config.Rate > 0}
	for _, ri := range r.Series.Intervals {
		f := ri.StartSeconds/r.Series.IntervalSeconds + 0.5
		if f < 0 || f >= stats.MaxIntervals {
			return tl // outside any run: keep what came before
		}
		i := int(f)
		m := stats.MergedInterval{
			Requests: ri.Requests, Bytes: ri.Bytes,
			Errors: stats.IntervalErrors{
				Connect: ri.Errors.Connect, Read: ri.Errors.Read, Write: ri.Errors.Write,
				Timeout: ri.Errors.Timeout, Status: ri.Errors.Status,
				Stream: ri.Errors.Stream, Conn: ri.Errors.Connection,
			},
		}
		for c, n := range ri.StatusCodes {
			if code, err := strconv.Atoi(c); err == nil {
				if m.Statuses == nil {
					m.Statuses = map[int]uint64{}
				}
				m.Statuses[code] += n
			}
		}
		if ri.Latency.Histogram != "" {
			if h, err := stats.DecodeLatency(ri.Latency.Histogram, 0, ri.Latency.MaxUS); err == nil {
				m.Hist = h
			}
		}
		if ri.ScheduleLagMax != nil {
			m.LagMaxUS = *ri.ScheduleLagMax
		}
		if tl.Add(i, m) != nil {
			return tl // beyond MaxIntervals: keep what fits
		}
	}
	return tl
}
