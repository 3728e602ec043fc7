// Package merge combines the --json results of the shards of one wrkrun
// run (wrkrun --shard i/n, one process or pod each) into the result of the
// whole run: counters are summed, latency histograms merged exactly, the
// Req/Sec samples pooled. It refuses results that do not belong together.
package merge

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wrklint/wrklint/runner/output"
	"github.com/wrklint/wrklint/runner/stats"
)

// Shard is one shard's result and the file it came from.
type Shard struct {
	Path   string
	Result *output.Result
}

// MaxShards is the most shards a run has (wrkrun --shard's bound).
const MaxShards = 10000

// maxConnections is wrkrun's bound on -c.
const maxConnections = 1 << 20

// maxResultSize bounds a result file: histograms are a few KiB, thread
// values at most 8 MiB, Req/Sec samples a few MiB for long runs.
const maxResultSize = 256 << 20

// Read parses result files. Fields a later version 1 may add are ignored;
// another version is refused.
func Read(paths []string) ([]Shard, error) {
	var out []Shard
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, unwrapPath(err))
		}
		if st.Size() > maxResultSize {
			return nil, fmt.Errorf("%s: %d bytes is larger than a wrkrun result can be (%d MiB)", p, st.Size(), maxResultSize>>20)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, unwrapPath(err))
		}
		r, err := Parse(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, Shard{Path: p, Result: r})
	}
	return out, nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse decodes one result document and checks its version.
func Parse(b []byte) (*output.Result, error) {
	var probe struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("not a wrkrun JSON result: %w", jsonError(b, err))
	}
	if probe.Version == nil {
		return nil, errors.New(`not a wrkrun JSON result: no "version"`)
	}
	if *probe.Version != output.JSONVersion {
		return nil, fmt.Errorf("result version %d; this wrkrun merges version %d", *probe.Version, output.JSONVersion)
	}
	var r output.Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("invalid wrkrun JSON result: %w", jsonError(b, err))
	}
	if r.Run.ConfigSHA256 == "" {
		return nil, errors.New(`invalid wrkrun JSON result: no "run" section (written by a wrkrun without sharding support?)`)
	}
	return &r, nil
}

// jsonError adds the line and column to a syntax or type error.
func jsonError(b []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(b)) {
		return err
	}
	// The offset is just past the offending byte.
	line := 1 + strings.Count(string(b[:off]), "\n")
	col := max(int(off)-strings.LastIndex(string(b[:off]), "\n")-1, 1)
	return fmt.Errorf("line %d, column %d: %w", line, col, err)
}

// Check verifies that the shards are all the shards of one run: one
// configuration and script, each index 0..n-1 exactly once.
func Check(shards []Shard) error {
	if len(shards) == 0 {
		return errors.New("no results to merge")
	}
	first := shards[0]
	n := first.Result.Run.Shards
	if n < 1 || n > MaxShards {
		return fmt.Errorf("%s: %d shards; wrkrun runs 1 to %d", first.Path, n, MaxShards)
	}
	seen := map[int]string{}
	for _, s := range shards {
		r := s.Result
		if r.Run.Shard == nil {
			return fmt.Errorf("%s is already a merged result", s.Path)
		}
		if c := r.Config.Connections; c < 1 || c > maxConnections || r.Config.Threads < 1 || r.Config.Threads > c {
			return fmt.Errorf("%s: %d threads for %d connections is not a wrkrun run", s.Path, r.Config.Threads, c)
		}
		if err := sameRun(first, s); err != nil {
			return err
		}
		i := *r.Run.Shard
		if i < 0 || i >= n {
			return fmt.Errorf("%s: shard %d is outside 0..%d", s.Path, i, n-1)
		}
		if prev, dup := seen[i]; dup {
			return fmt.Errorf("shard %d twice: %s and %s", i, prev, s.Path)
		}
		seen[i] = s.Path
		if want := stats.ShareOf(r.Run.TotalConnections, n, i); r.Config.Connections != want {
			return fmt.Errorf("%s: shard %d of %d ran %d connections; its share of %d is %d", s.Path, i, n, r.Config.Connections, r.Run.TotalConnections, want)
		}
	}
	var missing []string
	for i := range n {
		if _, ok := seen[i]; !ok {
			missing = append(missing, strconv.Itoa(i))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the run has %d shards; missing shard %s (%d of %d given)", n, strings.Join(missing, ", "), len(seen), n)
	}
	return nil
}

// sameRun names the first difference between two shards' configurations.
func sameRun(a, b Shard) error {
	ra, rb := a.Result, b.Result
	diff := func(what string, x, y any) error {
		return fmt.Errorf("%s and %s are not shards of one run: %s %v and %v", a.Path, b.Path, what, x, y)
	}
	switch {
	case ra.Run.Shards != rb.Run.Shards:
		return diff("shard counts", ra.Run.Shards, rb.Run.Shards)
	case ra.Config.URL != rb.Config.URL:
		return diff("URLs", ra.Config.URL, rb.Config.URL)
	case ra.Config.DurationSeconds != rb.Config.DurationSeconds:
		return diff("durations (s)", ra.Config.DurationSeconds, rb.Config.DurationSeconds)
	case ra.Config.TimeoutSeconds != rb.Config.TimeoutSeconds:
		return diff("timeouts (s)", ra.Config.TimeoutSeconds, rb.Config.TimeoutSeconds)
	case ra.Run.TotalConnections != rb.Run.TotalConnections:
		return diff("total connections", ra.Run.TotalConnections, rb.Run.TotalConnections)
	case ra.Run.TotalRate != rb.Run.TotalRate:
		return diff("total rates", ra.Run.TotalRate, rb.Run.TotalRate)
	case ra.Run.ScriptSHA256 != rb.Run.ScriptSHA256:
		return diff("script SHA-256s", short(ra.Run.ScriptSHA256), short(rb.Run.ScriptSHA256))
	case ra.Run.ConfigSHA256 != rb.Run.ConfigSHA256:
		return fmt.Errorf("%s and %s are not shards of one run: their configurations differ (threads, headers, script arguments or --start-at)", a.Path, b.Path)
	}
	return nil
}

func short(h string) string {
	if h == "" {
		return "(no script)"
	}
	return h[:min(len(h), 12)]
}

// Merged is the whole run.
type Merged struct {
	Summary *stats.Summary
	// Info is what the merged JSON result says besides the summary.
	Info output.RunInfo
	// Threads are all threads of all shards in shard order, with the
	// values their shard's done() read (nil when none).
	Threads []map[string]json.RawMessage
	// Shards are the inputs in shard order.
	Shards []Shard
}

// Merge checks the shards and combines them.
func Merge(shards []Shard) (*Merged, error) {
	if err := Check(shards); err != nil {
		return nil, err
	}
	sorted := append([]Shard(nil), shards...)
	sort.Slice(sorted, func(i, j int) bool { return *sorted[i].Result.Run.Shard < *sorted[j].Result.Run.Shard })
	first := sorted[0].Result
	sum := &stats.Summary{
		URL:      first.Config.URL,
		Duration: time.Duration(math.Round(first.Config.DurationSeconds * float64(time.Second))),
		Rates:    &stats.Rates{},
	}
	if first.Run.StartAt != nil {
		sum.StartAt = *first.Run.StartAt
	}
	m := &Merged{Summary: sum, Shards: sorted}
	var lat, raw, unc *stats.Latency
	var start, end, lastStart time.Time
	for k, s := range sorted {
		r := s.Result
		if k == 0 || r.Run.StartTime.Before(start) {
			start = r.Run.StartTime
		}
		if k == 0 || r.Run.StartTime.After(lastStart) {
			lastStart = r.Run.StartTime
		}
		if k == 0 || r.Run.EndTime.After(end) {
			end = r.Run.EndTime
		}
		sum.Threads += r.Config.Threads
		sum.Connections += r.Config.Connections
		sum.Rate += r.Config.Rate
		sum.Requests += r.Requests
		sum.Bytes += r.Bytes
		sum.Interrupted = sum.Interrupted || r.Interrupted
		if r.TLS != nil {
			if sum.TLS == nil {
				sum.TLS = &stats.TLSHandshakes{}
			}
			sum.TLS.Full += r.TLS.FullHandshakes
			sum.TLS.Resumed += r.TLS.ResumedHandshakes
		}
		sum.Errors.Add(stats.Errors{
			Connect: r.Errors.Connect, Read: r.Errors.Read, Write: r.Errors.Write,
			Timeout: r.Errors.Timeout, Status: r.Errors.Status,
			ConnectCauses: r.Errors.ConnectCauses, ReadCauses: r.Errors.ReadCauses,
			Stream: r.Errors.Stream, Conn: r.Errors.Connection,
			StreamCauses: r.Errors.StreamCauses, ConnCauses: r.Errors.ConnectionCauses,
		})
		switch {
		case sum.Protocol == "":
			sum.Protocol = r.Protocol
		case r.Protocol != "" && r.Protocol != sum.Protocol:
			sum.Protocol = "mixed"
		}
		for code, n := range r.StatusCodes {
			c, err := strconv.Atoi(code)
			if err != nil || c < 0 || c > 999 || n < 0 {
				return nil, fmt.Errorf("%s: status code %q: %d", s.Path, code, n)
			}
			if sum.StatusCodes == nil {
				sum.StatusCodes = map[int]uint64{}
			}
			sum.StatusCodes[c] += uint64(n)
		}
		var err error
		if lat, err = add(lat, r.Latency.Histogram.Data, r.Samples.LatencyMinUS, r.Samples.LatencyMaxUS); err != nil {
			return nil, fmt.Errorf("%s: latency: %w", s.Path, err)
		}
		if raw, err = add(raw, r.Samples.LatencyRaw.Data, r.Samples.LatencyMinUS, r.Samples.LatencyMaxUS); err != nil {
			return nil, fmt.Errorf("%s: raw latency: %w", s.Path, err)
		}
		if (r.Uncorrected != nil) != (first.Uncorrected != nil) {
			return nil, fmt.Errorf("%s: some shards ran with -R and some without", s.Path)
		}
		if r.Uncorrected != nil {
			if unc, err = add(unc, r.Uncorrected.Histogram.Data, r.Samples.UncorrectedMinUS, r.Samples.UncorrectedMaxUS); err != nil {
				return nil, fmt.Errorf("%s: uncorrected latency: %w", s.Path, err)
			}
		}
		var bs []stats.Bucket
		for _, p := range r.Samples.RequestsPerSec {
			bs = append(bs, stats.Bucket{Value: p[0], Count: p[1]})
		}
		if err := sum.Rates.AddBuckets(bs); err != nil {
			return nil, fmt.Errorf("%s: Req/Sec samples: %w", s.Path, err)
		}
		byThread := map[int]map[string]json.RawMessage{}
		for _, tv := range r.ThreadValues {
			if tv.Thread < 0 || tv.Thread >= r.Config.Threads {
				return nil, fmt.Errorf("%s: thread values for thread %d of %d", s.Path, tv.Thread, r.Config.Threads)
			}
			byThread[tv.Thread] = tv.Values
			m.Info.ThreadValues = append(m.Info.ThreadValues, output.ThreadValues{Shard: *r.Run.Shard, Thread: tv.Thread, Values: tv.Values})
		}
		for t := range r.Config.Threads {
			m.Threads = append(m.Threads, byThread[t])
		}
	}
	sum.Start = start
	sum.Runtime = end.Sub(start)
	if sum.Runtime < 0 {
		return nil, errors.New("the shards end before they start")
	}
	sum.LatencyHist, sum.Latency = lat, lat.Dist()
	sum.RawLatencyHist = raw
	if unc != nil {
		sum.UncorrectedHist, sum.Uncorrected = unc, unc.Dist()
	}
	sum.ReqPerSec = sum.Rates.Dist()
	for _, p := range stats.ReportPercentiles() {
		sum.Percentiles = append(sum.Percentiles, stats.Percentile{P: p, Value: sum.Latency.Percentile(p)})
	}
	tl, err := mergeSeries(sorted, start)
	if err != nil {
		return nil, err
	}
	sum.Timeline = tl
	for _, s := range sorted {
		if p := s.Result.Paths; p != nil {
			pc := stats.PathCounts{Other: p.Other, Counts: map[string]uint64{}}
			for _, c := range p.Top {
				pc.Counts[c.Path] += c.Requests
			}
			sum.Paths.Merge(pc)
		}
	}
	spread := lastStart.Sub(start)
	m.Info = output.RunInfo{
		Timeout: first.Config.TimeoutSeconds, Rate: sum.Rate, Script: first.Config.Script,
		LintVerdict: first.Lint.Verdict, LintDetail: first.Lint.Detail,
		Shards: first.Run.Shards, TotalConnections: first.Run.TotalConnections, TotalRate: first.Run.TotalRate,
		ConfigSHA256: first.Run.ConfigSHA256, ScriptSHA256: first.Run.ScriptSHA256,
		ThreadValues: m.Info.ThreadValues, StartSpread: &spread, Start: start,
	}
	return m, nil
}

// add merges one shard's encoded histogram into acc (nil: the first).
func add(acc *stats.Latency, data string, minUS, maxUS int64) (*stats.Latency, error) {
	l, err := stats.DecodeLatency(data, minUS, maxUS)
	if err != nil {
		return nil, err
	}
	if acc == nil {
		return l, nil
	}
	acc.Merge(l)
	return acc, nil
}

// mergeSeries combines the shards' time series by wall-clock interval: a
// shard's interval i, which starts at its own start + i·interval, counts
// in the merged interval holding that moment (the merged series starts at
// the earliest shard's start). Nil when a shard has no series.
func mergeSeries(shards []Shard, start time.Time) (*stats.Timeline, error) {
	var tl *stats.Timeline
	for _, s := range shards {
		t := s.Result.Timeline()
		if t == nil {
			return nil, nil
		}
		if tl == nil {
			tl = &stats.Timeline{Start: start, Interval: t.Interval, Lag: t.Lag}
		}
		if t.Interval != tl.Interval {
			return nil, fmt.Errorf("%s: intervals of %s, another shard's %s", s.Path, t.Interval, tl.Interval)
		}
		offset := t.Start.Sub(start)
		for _, iv := range t.Intervals {
			at := offset + time.Duration(iv.Index)*t.Interval
			if err := tl.Add(int(at/t.Interval), iv); err != nil {
				return nil, fmt.Errorf("%s: %w", s.Path, err)
			}
		}
	}
	return tl, nil
}
