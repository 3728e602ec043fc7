package output

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"

	"github.com/wrklint/wrklint/runner/stats"
)

// JSONVersion is the version of the --json document; it changes only when
// a field changes meaning or disappears (docs/json-output.md).
const JSONVersion = 1

// JSONPercentiles are the latency percentiles the JSON result lists.
func JSONPercentiles() []float64 { return []float64{50, 75, 90, 99, 99.9, 99.99, 100} }

// RunInfo is what the JSON result says about the run besides its Summary:
// the parts of the configuration the Summary does not carry and the lint
// verdict.
type RunInfo struct {
	Tool        string  // "wrkrun 0.1.0"
	Timeout     float64 // seconds
	Rate        int     // -R, 0 when unthrottled
	Script      string  // -s path, "" without one
	LintVerdict string  // none, passed, skipped, refused
	LintDetail  string
}

// Result is the --json document (docs/wrkrun-result.schema.json).
type Result struct {
	Version int        `json:"version"`
	Tool    string     `json:"tool"`
	Config  jsonConfig `json:"config"`
	Lint    jsonLint   `json:"lint"`
	// Counters over the whole run.
	RuntimeSeconds float64          `json:"runtime_seconds"`
	Requests       uint64           `json:"requests"`
	Bytes          uint64           `json:"bytes"`
	RequestsPerSec float64          `json:"requests_per_sec"`
	BytesPerSec    float64          `json:"bytes_per_sec"`
	Errors         jsonErrors       `json:"errors"`
	StatusCodes    map[string]int64 `json:"status_codes"`
	Latency        jsonLatency      `json:"latency"`
	// With -R: latency from the actual send times (wrk2's -U histogram).
	Uncorrected  *jsonLatency `json:"uncorrected_latency,omitempty"`
	ThreadReqSec jsonDist     `json:"thread_requests_per_sec"`
}

type jsonConfig struct {
	URL             string  `json:"url"`
	Threads         int     `json:"threads"`
	Connections     int     `json:"connections"`
	DurationSeconds float64 `json:"duration_seconds"`
	TimeoutSeconds  float64 `json:"timeout_seconds"`
	Rate            int     `json:"rate"`
	Script          string  `json:"script"`
}

type jsonLint struct {
	Verdict string `json:"verdict"`
	Detail  string `json:"detail"`
}

type jsonErrors struct {
	Connect       uint64            `json:"connect"`
	Read          uint64            `json:"read"`
	Write         uint64            `json:"write"`
	Timeout       uint64            `json:"timeout"`
	Status        uint64            `json:"status"`
	ConnectCauses map[string]uint64 `json:"connect_causes"`
	ReadCauses    map[string]uint64 `json:"read_causes"`
}

type jsonPercentile struct {
	Percentile float64 `json:"percentile"`
	ValueUS    uint64  `json:"value_us"`
}

type jsonDist struct {
	Mean        float64 `json:"mean"`
	Stdev       float64 `json:"stdev"`
	Max         uint64  `json:"max"`
	WithinStdev float64 `json:"within_stdev_percent"`
}

type jsonLatency struct {
	Unit        string           `json:"unit"`
	Count       uint64           `json:"count"`
	MinUS       uint64           `json:"min_us"`
	MeanUS      float64          `json:"mean_us"`
	StdevUS     float64          `json:"stdev_us"`
	MaxUS       uint64           `json:"max_us"`
	Percentiles []jsonPercentile `json:"percentiles"`
	Histogram   jsonHistogram    `json:"histogram"`
}

type jsonHistogram struct {
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

func threadDist(d stats.Dist) jsonDist {
	return jsonDist{Mean: finite(d.Mean), Stdev: finite(d.Stdev), Max: d.Max, WithinStdev: finite(d.Within)}
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
		Config: jsonConfig{
			URL: s.URL, Threads: s.Threads, Connections: s.Connections,
			DurationSeconds: s.Duration.Seconds(), TimeoutSeconds: info.Timeout, Rate: info.Rate, Script: info.Script,
		},
		Lint:           jsonLint{Verdict: info.LintVerdict, Detail: info.LintDetail},
		RuntimeSeconds: secs,
		Requests:       s.Requests,
		Bytes:          s.Bytes,
		RequestsPerSec: per(s.Requests),
		BytesPerSec:    per(s.Bytes),
		Errors: jsonErrors{
			Connect: s.Errors.Connect, Read: s.Errors.Read, Write: s.Errors.Write,
			Timeout: s.Errors.Timeout, Status: s.Errors.Status,
			ConnectCauses: nonNil(s.Errors.ConnectCauses), ReadCauses: nonNil(s.Errors.ReadCauses),
		},
		StatusCodes:  map[string]int64{},
		Latency:      latency(s.Latency, s.LatencyHist),
		ThreadReqSec: threadDist(s.ReqPerSec),
	}
	if s.Rate > 0 {
		u := latency(s.Uncorrected, s.UncorrectedHist)
		r.Uncorrected = &u
	}
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

func latency(d stats.Dist, hist *stats.Latency) jsonLatency {
	var data string
	if hist != nil {
		// An encoding failure only costs the result its histogram data.
		data, _ = hist.Encode()
	}
	l := jsonLatency{
		Unit: "us", Count: d.Count, MinUS: d.Min(),
		MeanUS: finite(d.Mean), StdevUS: finite(d.Stdev), MaxUS: d.Max,
		Histogram: jsonHistogram{Encoding: "HdrHistogram V2 compressed, base64", Data: data},
	}
	for _, p := range JSONPercentiles() {
		l.Percentiles = append(l.Percentiles, jsonPercentile{Percentile: p, ValueUS: d.Percentile(p)})
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
