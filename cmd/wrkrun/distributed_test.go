package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/wrklint/wrklint/internal/testutil"
	"github.com/wrklint/wrklint/runner/output"
	"github.com/wrklint/wrklint/runner/stats"
)

// asMainEnv makes the test binary run wrkrun's main instead of the tests,
// so that a test can start real shard processes without building a binary.
const asMainEnv = "WRKRUN_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	switch os.Getenv(asMainEnv) {
	case "1":
		os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
	case "confined": // as the wrkrun binary's main does
		os.Exit(run(os.Args[1:], processEnv(os.Stdout, os.Stderr).confined()))
	}
	testutil.RaiseParallel(testutil.RealTimeParallelism)
	os.Exit(m.Run())
}

// shardScript keeps its request counters disjoint with wrk.shard, counts
// responses per thread, and reports in done() what it sees.
const shardScript = `local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = wrk.shard * 100000000 + id * 1000000
end

function request()
  counter = counter + 1
  return wrk.format("GET", "/item?n=" .. counter)
end

function response(status, headers, body)
  responses = (responses or 0) + 1
end

function done(summary, latency, requests)
  local seen = 0
  for _, t in ipairs(threads) do
    seen = seen + (t:get("responses") or 0)
  end
  io.write(string.format("done threads=%d responses=%d requests=%d p50=%d p99=%d max=%d shards=%s\n",
    #threads, seen, summary.requests, latency:percentile(50), latency:percentile(99), latency.max, tostring(wrk.shards)))
end
`

// countingServer answers every request and remembers each n it was sent.
type countingServer struct {
	mu   sync.Mutex
	seen map[string]int
}

func startCountingServer(t *testing.T) (string, *countingServer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cs := &countingServer{seen: map[string]int{}}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.mu.Lock()
		cs.seen[r.URL.Query().Get("n")]++
		cs.mu.Unlock()
		// A little latency spread, so that percentiles differ by shard.
		if len(r.URL.RawQuery)%3 == 0 {
			time.Sleep(200 * time.Microsecond)
		}
		_, _ = w.Write([]byte("hello"))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String() + "/", cs
}

// TestDistributedShardsMerge runs four shard processes against a local
// server with a common --start-at, merges their results and checks the
// merge against the shards: counters are sums, the latency histogram is
// the one fed every shard's samples, and done() sees the merged run.
func TestDistributedShardsMerge(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts four benchmark processes")
	}
	url, server := startCountingServer(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "shard.lua")
	if err := os.WriteFile(script, []byte(shardScript), 0o600); err != nil {
		t.Fatal(err)
	}
	const shards = 4
	startAt := time.Now().Add(1500 * time.Millisecond).UTC().Format(time.RFC3339Nano)
	var wg sync.WaitGroup
	outs := make([]bytes.Buffer, shards)
	errs := make([]error, shards)
	for i := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The test binary itself runs as wrkrun (TestMain). A long
			// --script-timeout: a heavily loaded machine took more than
			// the default second for done().
			cmd := exec.Command(os.Args[0], "--shard", fmt.Sprintf("%d/%d", i, shards), "--start-at", startAt, //nolint:gosec // our own binary
				"-t", "2", "-c", "10", "-d", "1s", "--script-timeout", "30s", "-s", script, "--json", filepath.Join(dir, fmt.Sprintf("shard-%d.json", i)), url)
			cmd.Env = append(os.Environ(), asMainEnv+"=1")
			cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
			errs[i] = cmd.Run()
		}()
	}
	wg.Wait()
	results := make([]*output.Result, shards)
	files := make([]string, shards)
	doneLine := regexp.MustCompile(`done threads=(\d+) responses=(\d+) requests=(\d+) p50=(\d+) p99=(\d+) max=(\d+) shards=(\S+)`)
	for i := range shards {
		if errs[i] != nil {
			t.Fatalf("shard %d: %v\n%s", i, errs[i], outs[i].String())
		}
		files[i] = filepath.Join(dir, fmt.Sprintf("shard-%d.json", i))
		results[i] = readResult(t, files[i])
		r := results[i]
		if got := *r.Run.Shard; got != i || r.Run.Shards != shards {
			t.Errorf("shard %d: run says shard %d of %d", i, got, r.Run.Shards)
		}
		// 10 connections over 4 shards: 3, 3, 2, 2.
		if want := []int{3, 3, 2, 2}[i]; r.Config.Connections != want {
			t.Errorf("shard %d: %d connections, want %d", i, r.Config.Connections, want)
		}
		if r.Run.StartSkewSeconds == nil || *r.Run.StartSkewSeconds < 0 || *r.Run.StartSkewSeconds > 0.5 {
			t.Errorf("shard %d: start skew %v, want a small non-negative number", i, r.Run.StartSkewSeconds)
		}
		if r.Requests == 0 {
			t.Fatalf("shard %d completed no request:\n%s", i, outs[i].String())
		}
		m := doneLine.FindStringSubmatch(outs[i].String())
		if m == nil || m[3] != strconv.FormatUint(r.Requests, 10) || m[2] != m[3] || m[7] != "4" {
			t.Errorf("shard %d: done() printed %q; want its own %d requests, as many responses, 4 shards", i, m, r.Requests)
		}
	}
	// wrk.shard kept the shards' counters apart: no n was sent twice.
	server.mu.Lock()
	for n, c := range server.seen {
		if c > 1 {
			t.Errorf("request n=%s sent %d times: shard counters overlap", n, c)
			break
		}
	}
	server.mu.Unlock()

	var stdout, stderr bytes.Buffer
	merged := filepath.Join(dir, "merged.json")
	code := run(append([]string{"merge", "-s", script, "--latency", "--json", merged}, files...), env{stdout: &stdout, stderr: &stderr})
	if code != exitOK {
		t.Fatalf("merge exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	m := readResult(t, merged)
	schemaCheck(t, merged)

	var want stats.Summary
	want.StatusCodes = map[int]uint64{}
	one := hdrhistogram.New(1, int64(2*time.Second/time.Microsecond), 3)
	oneRaw := hdrhistogram.New(1, int64(2*time.Second/time.Microsecond), 3)
	var maxUS int64
	threads := 0
	for _, r := range results {
		want.Requests += r.Requests
		want.Bytes += r.Bytes
		want.Errors.Add(stats.Errors{Connect: r.Errors.Connect, Read: r.Errors.Read, Write: r.Errors.Write, Timeout: r.Errors.Timeout, Status: r.Errors.Status})
		for c, n := range r.StatusCodes {
			code, _ := strconv.Atoi(c)
			want.StatusCodes[code] += uint64(n)
		}
		feed(t, one, r.Latency.Histogram.Data)
		feed(t, oneRaw, r.Samples.LatencyRaw.Data)
		maxUS = max(maxUS, r.Samples.LatencyMaxUS)
		threads += r.Config.Threads
	}
	if m.Requests != want.Requests || m.Bytes != want.Bytes || m.Errors.Connect != want.Errors.Connect ||
		m.Errors.Read != want.Errors.Read || m.Errors.Timeout != want.Errors.Timeout || m.Errors.Status != want.Errors.Status {
		t.Errorf("merged counters: %d requests, %d bytes, errors %+v; the shards sum to %d, %d, %+v",
			m.Requests, m.Bytes, m.Errors, want.Requests, want.Bytes, want.Errors)
	}
	if got := m.StatusCodes["200"]; uint64(got) != want.StatusCodes[200] {
		t.Errorf("merged status 200: %d, want %d", got, want.StatusCodes[200])
	}
	if m.Config.Connections != 10 || m.Config.Threads != threads || m.Run.Shard != nil || m.Run.Shards != shards {
		t.Errorf("merged config %+v run %+v", m.Config, m.Run)
	}
	// The merged histograms are exactly the histograms fed every sample.
	for _, h := range []struct {
		name string
		data string
		one  *hdrhistogram.Histogram
	}{{"latency", m.Latency.Histogram.Data, one}, {"raw latency", m.Samples.LatencyRaw.Data, oneRaw}} {
		got, err := hdrhistogram.Decode([]byte(h.data))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equals(h.one) {
			t.Errorf("merged %s histogram differs from one fed all shards' samples", h.name)
		}
	}
	if m.Latency.MaxUS != uint64(maxUS) || m.Latency.Count != uint64(one.TotalCount()) {
		t.Errorf("merged max %d count %d, want %d and %d", m.Latency.MaxUS, m.Latency.Count, maxUS, one.TotalCount())
	}
	// The percentiles are those of the pooled samples with wrk's rule.
	pooled := pooledLatency(t, one, m.Samples.LatencyMinUS, maxUS).Dist()
	for _, p := range m.Latency.Percentiles {
		if want := pooled.Percentile(p.Percentile); p.ValueUS != want {
			t.Errorf("merged p%v = %d µs, pooled samples give %d", p.Percentile, p.ValueUS, want)
		}
	}
	// done() ran once, on the merged numbers, with every shard's threads.
	dl := doneLine.FindAllStringSubmatch(stdout.String(), -1)
	if len(dl) != 1 {
		t.Fatalf("merged done() lines: %q\n%s", dl, stdout.String())
	}
	wantLine := []string{strconv.Itoa(threads), strconv.FormatUint(want.Requests, 10), strconv.FormatUint(want.Requests, 10),
		strconv.FormatUint(pooled.Percentile(50), 10), strconv.FormatUint(pooled.Percentile(99), 10), strconv.FormatInt(maxUS, 10), "4"}
	for k, w := range wantLine {
		if dl[0][k+1] != w {
			t.Errorf("merged done() printed %q; field %d is %s, want %s", dl[0][0], k+1, dl[0][k+1], w)
		}
	}
	if !bytes.Contains(stdout.Bytes(), []byte(fmt.Sprintf("  %d threads and 10 connections\n", threads))) ||
		!bytes.Contains(stdout.Bytes(), []byte(fmt.Sprintf("  %d requests in ", want.Requests))) {
		t.Errorf("merged report:\n%s", stdout.String())
	}

	// What merge refuses: a shard missing, another script, a merged input.
	other := filepath.Join(dir, "other.lua")
	if err := os.WriteFile(other, []byte(shardScript+"\n-- changed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"missing shard", files[:3], "missing shard 3 (3 of 4 given)"},
		{"another script", append([]string{"-s", other}, files...), "is not the script the shards ran"},
		{"merged input", append([]string{merged}, files...), "already a merged result"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"merge"}, tt.args...), env{stdout: &stdout, stderr: &stderr}); code != exitError || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tt.name, code, stderr.String(), exitError, tt.want)
		}
	}
}

func readResult(t *testing.T, path string) *output.Result {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r output.Result
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &r
}

func schemaCheck(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var doc any
	if err := json.NewDecoder(f).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if err := resultSchema(t).Validate(doc); err != nil {
		t.Errorf("%s does not match the schema: %v", path, err)
	}
}

// feed records every sample of an encoded histogram into h.
func feed(t *testing.T, h *hdrhistogram.Histogram, data string) {
	t.Helper()
	d, err := hdrhistogram.Decode([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range d.Distribution() {
		if b.Count > 0 {
			if err := h.RecordValues(b.From, b.Count); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func pooledLatency(t *testing.T, h *hdrhistogram.Histogram, minUS, maxUS int64) *stats.Latency {
	t.Helper()
	b, err := h.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
	if err != nil {
		t.Fatal(err)
	}
	l, err := stats.DecodeLatency(string(b), minUS, maxUS)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
