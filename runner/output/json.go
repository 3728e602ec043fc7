package output

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/wrklint/wrklint/runner/stats"
)

// JSONVersion is the version of the --json document; it changes only when
// a field changes meaning or disappears (docs/json-output.md).
const JSONVersion = 1

// JSONPercentiles are the latency percentiles the JSON result lists.
func JSONPercentiles() []float64 { return []float64{50, 75, 90, 99, 99.9, 99.99, 100} }

// RunInfo is what the JSON result says about the run besides its Summary:
// the parts of the configuration the Summary does not carry, the lint
// verdict and what identifies the run for wrkrun merge.
type RunInfo struct {
	Tool        string  // "wrkrun 0.1.0"
	Timeout     float64 // seconds
	Rate        int     // -R, 0 when unthrottled
	Script      string  // -s path, "" without one
	LintVerdict string  // none, passed, skipped, refused
	LintDetail  string
	HTTP2       string // --http2: off, require, auto
	Streams     int    // -m

	// Shard is this process's index among Shards (1 without sharding);
	// nil for a merged result.
	Shard            *int
	Shards           int
	TotalConnections int    // -c over all shards
	TotalRate        int    // -R over all shards
	ConfigSHA256     string // ConfigHash of the whole run
	ScriptSHA256     string // of the script's bytes; "" without a script
	ThreadValues     []ThreadValues
	// StartSpread is, for a merged result, the latest shard start minus
	// the earliest.
	StartSpread *time.Duration
	// Start overrides the Summary's Start (a merged run's earliest).
	Start time.Time
}

// ThreadValues are the globals done() read from one thread with
// thread:get, as encoded by the Lua runtime; merge hands them to done().
type ThreadValues struct {
	Shard  int                        `json:"shard"`
	Thread int                        `json:"thread"` // 0-based within its shard
	Values map[string]json.RawMessage `json:"values"`
}

// Result is the --json document (docs/wrkrun-result.schema.json).
type Result struct {
	Version int          `json:"version"`
	Tool    string       `json:"tool"`
	Config  ResultConfig `json:"config"`
	Lint    ResultLint   `json:"lint"`
	// Counters over the whole run.
	RuntimeSeconds float64          `json:"runtime_seconds"`
	Requests       uint64           `json:"requests"`
	Bytes          uint64           `json:"bytes"`
	RequestsPerSec float64          `json:"requests_per_sec"`
	BytesPerSec    float64          `json:"bytes_per_sec"`
	Errors         ResultErrors     `json:"errors"`
	StatusCodes    map[string]int64 `json:"status_codes"`
	Latency        ResultLatency    `json:"latency"`
	// With -R: latency from the actual send times (wrk2's -U histogram).
	Uncorrected *ResultLatency `json:"uncorrected_latency,omitempty"`
	// With -R: how late the runner itself sent (not in a merged result).
	ScheduleLag  *ResultScheduleLag `json:"schedule_lag,omitempty"`
	ThreadReqSec ResultDist         `json:"thread_requests_per_sec"`
	// Interrupted: SIGINT ended the run early; RuntimeSeconds is the real,
	// shorter duration.
	Interrupted bool `json:"interrupted"`
	// Series is the per-interval time series (--interval), Paths the
	// requests by path; absent in results of older wrkruns.
	Series *ResultSeries `json:"series,omitempty"`
	Paths  *ResultPaths  `json:"paths,omitempty"`
	// Thresholds are the --threshold verdicts, when any were given.
	Thresholds []ResultThreshold `json:"thresholds,omitempty"`
	// TLS: completed handshakes of an https run, full and resumed.
	TLS *ResultTLS `json:"tls,omitempty"`
	// Protocol the responses came over: HTTP/1.1, HTTP/2, or mixed
	// (--http2=auto against servers that differed); absent in results
	// of older wrkruns.
	Protocol string `json:"protocol,omitempty"`

	// What wrkrun merge needs (docs/distributed.md).
	Run          ResultRun      `json:"run"`
	Samples      ResultSamples  `json:"samples"`
	ThreadValues []ThreadValues `json:"thread_values,omitempty"`
}

// ResultThreshold is one threshold's verdict.
type ResultThreshold struct {
	Expression string  `json:"expression"`
	Metric     string  `json:"metric"`
	Value      float64 `json:"value"` // measured, in the metric's unit (µs for latencies)
	Unit       string  `json:"unit"`
	Passed     bool    `json:"passed"`
}

// ResultRun places the result in time and in a sharded run.
type ResultRun struct {
	StartTime time.Time `json:"start_time"` // the measurement's wall-clock start
	EndTime   time.Time `json:"end_time"`
	// StartAt is --start-at; StartSkewSeconds how late the start was.
	StartAt          *time.Time `json:"start_at,omitempty"`
	StartSkewSeconds *float64   `json:"start_skew_seconds,omitempty"`
	// Shard is absent in a merged result, which has StartSpreadSeconds.
	Shard              *int     `json:"shard,omitempty"`
	Shards             int      `json:"shards"`
	StartSpreadSeconds *float64 `json:"start_spread_seconds,omitempty"`
	TotalConnections   int      `json:"total_connections"`
	TotalRate          int      `json:"total_rate"`
	ConfigSHA256       string   `json:"config_sha256"`
	ScriptSHA256       string   `json:"script_sha256,omitempty"`
}

// ResultSamples carry the samples exactly: the real (not synthetic) latency
// bounds, the histogram before wrk's correction, and every Req/Sec sample
// as [value, count] pairs.
type ResultSamples struct {
	LatencyMinUS     int64           `json:"latency_min_us"`
	LatencyMaxUS     int64           `json:"latency_max_us"`
	LatencyRaw       ResultHistogram `json:"latency_raw_histogram"`
	UncorrectedMinUS int64           `json:"uncorrected_min_us,omitempty"`
	UncorrectedMaxUS int64           `json:"uncorrected_max_us,omitempty"`
	RequestsPerSec   [][2]uint64     `json:"requests_per_sec"`
}

// ResultConfig is the run as asked (this shard's part of it in a sharded run).
type ResultConfig struct {
	URL             string  `json:"url"`
	Threads         int     `json:"threads"`
	Connections     int     `json:"connections"`
	DurationSeconds float64 `json:"duration_seconds"`
	TimeoutSeconds  float64 `json:"timeout_seconds"`
	Rate            int     `json:"rate"`
	Script          string  `json:"script"`
	// HTTP2 is --http2 (off, require, auto), Streams -m; absent in
	// results of older wrkruns.
	HTTP2   string `json:"http2,omitempty"`
	Streams int    `json:"streams,omitempty"`
}

// ResultTLS counts an https run's completed handshakes.
type ResultTLS struct {
	FullHandshakes    uint64 `json:"full_handshakes"`
	ResumedHandshakes uint64 `json:"resumed_handshakes"`
}

// ResultLint is the lint gate's verdict on the script.
type ResultLint struct {
	Verdict string `json:"verdict"`
	Detail  string `json:"detail"`
}

// ResultErrors is wrk's error counters with their causes.
type ResultErrors struct {
	Connect       uint64            `json:"connect"`
	Read          uint64            `json:"read"`
	Write         uint64            `json:"write"`
	Timeout       uint64            `json:"timeout"`
	Status        uint64            `json:"status"`
	ConnectCauses map[string]uint64 `json:"connect_causes"`
	ReadCauses    map[string]uint64 `json:"read_causes"`
	// HTTP/2 stream errors (streams reset) and connection errors
	// (GOAWAY with an error code, protocol errors), with their causes.
	Stream           uint64            `json:"stream"`
	Connection       uint64            `json:"connection"`
	StreamCauses     map[string]uint64 `json:"stream_causes,omitempty"`
	ConnectionCauses map[string]uint64 `json:"connection_causes,omitempty"`
}

// ResultPercentile is one latency percentile.
type ResultPercentile struct {
	Percentile float64 `json:"percentile"`
	ValueUS    uint64  `json:"value_us"`
}

// ResultDist is a distribution's summary (the Req/Sec row).
type ResultDist struct {
	Mean        float64 `json:"mean"`
	Stdev       float64 `json:"stdev"`
	Max         uint64  `json:"max"`
	WithinStdev float64 `json:"within_stdev_percent"`
}

// ResultLatency is a latency distribution with its histogram.
type ResultLatency struct {
	Unit        string             `json:"unit"`
	Count       uint64             `json:"count"`
	MinUS       uint64             `json:"min_us"`
	MeanUS      float64            `json:"mean_us"`
	StdevUS     float64            `json:"stdev_us"`
	MaxUS       uint64             `json:"max_us"`
	Percentiles []ResultPercentile `json:"percentiles"`
	Histogram   ResultHistogram    `json:"histogram"`
}

// ResultScheduleLag is the distribution of actual minus intended send
// times under -R: the part of the corrected latency that is the runner's
// own timing error (or, when large, time spent behind a stalled server).
type ResultScheduleLag struct {
	Count uint64 `json:"count"`
	P50US int64  `json:"p50_us"`
	P99US int64  `json:"p99_us"`
	MaxUS int64  `json:"max_us"`
}

// ResultHistogram is an encoded HdrHistogram.
type ResultHistogram struct {
	Encoding string `json:"encoding"`
	Data     string `json:"data"`
}

// finite keeps NaN (an empty distribution) out of JSON, which has no NaN.
func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func threadDist(d stats.Dist) ResultDist {
	return ResultDist{Mean: finite(d.Mean), Stdev: finite(d.Stdev), Max: d.Max, WithinStdev: finite(d.Within)}
}

// NewResult assembles the JSON result of a finished run.
func NewResult(s *stats.Summary, info RunInfo) *Result {
	secs := s.Runtime.Seconds()
	per := func(n uint64) float64 {
		if secs <= 0 {
			return 0
		}
		return float64(n) / secs
	}
	r := &Result{
		Version: JSONVersion,
		Tool:    info.Tool,
		Config: ResultConfig{
			URL: s.URL, Threads: s.Threads, Connections: s.Connections,
			DurationSeconds: s.Duration.Seconds(), TimeoutSeconds: info.Timeout, Rate: info.Rate, Script: info.Script,
			HTTP2: info.HTTP2, Streams: info.Streams,
		},
		Lint:           ResultLint{Verdict: info.LintVerdict, Detail: info.LintDetail},
		RuntimeSeconds: secs,
		Requests:       s.Requests,
		Bytes:          s.Bytes,
		RequestsPerSec: per(s.Requests),
		BytesPerSec:    per(s.Bytes),
		Errors: ResultErrors{
			Connect: s.Errors.Connect, Read: s.Errors.Read, Write: s.Errors.Write,
			Timeout: s.Errors.Timeout, Status: s.Errors.Status,
			ConnectCauses: nonNil(s.Errors.ConnectCauses), ReadCauses: nonNil(s.Errors.ReadCauses),
			Stream: s.Errors.Stream, Connection: s.Errors.Conn,
			StreamCauses: s.Errors.StreamCauses, ConnectionCauses: s.Errors.ConnCauses,
		},
		Protocol:     protocolOf(s),
		StatusCodes:  map[string]int64{},
		Latency:      latency(s.Latency, s.LatencyHist),
		ThreadReqSec: threadDist(s.ReqPerSec),
		Interrupted:  s.Interrupted,
	}
	if s.TLS != nil {
		r.TLS = &ResultTLS{FullHandshakes: s.TLS.Full, ResumedHandshakes: s.TLS.Resumed}
	}
	if s.Rate > 0 {
		u := latency(s.Uncorrected, s.UncorrectedHist)
		r.Uncorrected = &u
	}
	if h := s.ScheduleLagHist; h != nil {
		lag := &ResultScheduleLag{Count: uint64(h.Count())}
		if lag.Count > 0 {
			_, lag.MaxUS, _ = h.Bounds()
			// A percentile is its bucket's highest value, which can lie
			// above the largest lag recorded.
			lag.P50US, lag.P99US = min(h.ValueAtQuantile(50), lag.MaxUS), min(h.ValueAtQuantile(99), lag.MaxUS)
		}
		r.ScheduleLag = lag
	}
	r.Run, r.Samples, r.ThreadValues = runOf(s, info), samplesOf(s), info.ThreadValues
	r.Series, r.Paths = seriesOf(s.Timeline, s.Runtime), pathsOf(s.Paths)
	codes := make([]int, 0, len(s.StatusCodes))
	for c := range s.StatusCodes {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		r.StatusCodes[strconv.Itoa(c)] = int64(s.StatusCodes[c])
	}
	return r
}

func runOf(s *stats.Summary, info RunInfo) ResultRun {
	start := s.Start
	if !info.Start.IsZero() {
		start = info.Start
	}
	run := ResultRun{
		StartTime: start.UTC(), EndTime: start.Add(s.Runtime).UTC(),
		Shard: info.Shard, Shards: max(info.Shards, 1),
		TotalConnections: info.TotalConnections, TotalRate: info.TotalRate,
		ConfigSHA256: info.ConfigSHA256, ScriptSHA256: info.ScriptSHA256,
	}
	if !s.StartAt.IsZero() {
		at := s.StartAt.UTC()
		run.StartAt = &at
		if info.Shard != nil {
			skew := s.Start.Sub(s.StartAt).Seconds()
			run.StartSkewSeconds = &skew
		}
	}
	if info.StartSpread != nil {
		spread := info.StartSpread.Seconds()
		run.StartSpreadSeconds = &spread
	}
	return run
}

func samplesOf(s *stats.Summary) ResultSamples {
	var out ResultSamples
	out.LatencyRaw.Encoding = histogramEncoding
	if s.RawLatencyHist != nil {
		out.LatencyMinUS, out.LatencyMaxUS, _ = s.RawLatencyHist.Bounds()
		out.LatencyRaw.Data, _ = s.RawLatencyHist.Encode()
	}
	if s.UncorrectedHist != nil {
		out.UncorrectedMinUS, out.UncorrectedMaxUS, _ = s.UncorrectedHist.Bounds()
	}
	out.RequestsPerSec = [][2]uint64{}
	if s.Rates != nil {
		for _, b := range s.Rates.Buckets() {
			out.RequestsPerSec = append(out.RequestsPerSec, [2]uint64{b.Value, b.Count})
		}
	}
	return out
}

// histogramEncoding names the histograms' format in the document.
const histogramEncoding = "HdrHistogram V2 compressed, base64"

func latency(d stats.Dist, hist *stats.Latency) ResultLatency {
	var data string
	if hist != nil {
		// An encoding failure only costs the result its histogram data.
		data, _ = hist.Encode()
	}
	l := ResultLatency{
		Unit: "us", Count: d.Count, MinUS: d.Min(),
		MeanUS: finite(d.Mean), StdevUS: finite(d.Stdev), MaxUS: d.Max,
		Histogram: ResultHistogram{Encoding: histogramEncoding, Data: data},
	}
	for _, p := range JSONPercentiles() {
		l.Percentiles = append(l.Percentiles, ResultPercentile{Percentile: p, ValueUS: d.Percentile(p)})
	}
	return l
}

func nonNil(m map[string]uint64) map[string]uint64 {
	if m == nil {
		return map[string]uint64{}
	}
	return m
}

// WriteJSON writes r, indented, with a final newline.
func WriteJSON(w io.Writer, r *Result) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the JSON result: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("writing the JSON result: %w", err)
	}
	return nil
}

// protocolOf is the result's protocol: a run without --http2 leaves the
// summary's empty and spoke HTTP/1.1.
func protocolOf(s *stats.Summary) string {
	if s.Protocol == "" {
		return "HTTP/1.1"
	}
	return s.Protocol
}
