//go:build linux

package luart

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wrklint/wrklint/runner"
)

// recorder is a keep-alive HTTP/1.1 server on 127.0.0.1 that records every
// request. /login answers with an X-Token header naming the connection.
type recorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []sent
}

func startRecorder(t *testing.T) *recorder { return startRecorderTLS(t, false) }

// startRecorderTLS serves over TLS (a self-signed certificate) when useTLS.
func startRecorderTLS(t *testing.T, useTLS bool) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, sent{Method: r.Method, Path: r.RequestURI, Headers: r.Header.Clone(), Host: r.Host, Body: string(body),
			Remote: r.RemoteAddr, At: time.Now()})
		rec.mu.Unlock()
		if r.URL.Path == "/login" {
			w.Header().Set("X-Token", "tok-"+r.RemoteAddr)
		}
		_, _ = io.WriteString(w, "ok")
	}))
	if useTLS {
		rec.srv.StartTLS()
	} else {
		rec.srv.Start()
	}
	t.Cleanup(rec.srv.Close)
	return rec
}

func (rec *recorder) requests() []sent {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]sent(nil), rec.reqs...)
}

// runScript runs a compat script through runner.Run against rec, then
// done(), and returns the summary and the script's output.
func runScript(t *testing.T, rec *recorder, name string, threads int, d time.Duration, until func([]sent) bool) (*runner.Summary, string, time.Duration) {
	t.Helper()
	addr := rec.srv.Listener.Addr().(*net.TCPAddr)
	url := rec.srv.URL + "/"
	// Long hook and response timeouts: the runs last as long as a loaded
	// machine needs, and slowness must not turn into timeout errors (a
	// 1 s delay() hook and 2 s responses timed out on one).
	s, out, warn := load(t, name, "", Options{URL: url, Threads: threads, Addr: addr, HookTimeout: 30 * time.Second})
	if err := s.Prepare(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if until != nil {
		// The run ends once what the server recorded satisfies until (d
		// is a ceiling): a fixed 800 ms saw no TLS traffic at all on a
		// loaded machine.
		go func() {
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			for ctx.Err() == nil && !until(rec.requests()) {
				select {
				case <-tick.C:
				case <-ctx.Done():
				}
			}
			cancel()
		}()
	}
	begin := time.Now()
	sum, err := runner.Run(ctx, runner.Config{
		URL: url, Threads: threads, Connections: threads, Duration: d, Timeout: 30 * time.Second, Script: s,
	}, addr, nil)
	elapsed := time.Since(begin)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Done(FromSummary(sum)); err != nil {
		t.Fatal(err)
	}
	if warn.String() != "" {
		t.Errorf("sandbox warnings: %s", warn)
	}
	return sum, out.String(), elapsed
}

func TestCompatScriptsEndToEnd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		script  string
		threads int
		check   func(t *testing.T, sum *runner.Summary, reqs []sent, out string, elapsed time.Duration)
	}{
		{script: "counter.lua", threads: 2, check: func(t *testing.T, sum *runner.Summary, reqs []sent, _ string, _ time.Duration) {
			zeros := 0
			for _, r := range reqs {
				if r.Path != "/"+r.Headers.Get("X-Counter") {
					t.Fatalf("path %s with X-Counter %q", r.Path, r.Headers.Get("X-Counter"))
				}
				if r.Path == "/0" {
					zeros++
				}
			}
			// Thread 1's /0 was consumed by the start-up check (wrk).
			if zeros != 1 {
				t.Errorf("/0 sent %d times, want once (thread 2 only)", zeros)
			}
		}},
		{script: "post.lua", threads: 2, check: func(t *testing.T, sum *runner.Summary, reqs []sent, _ string, _ time.Duration) {
			for _, r := range reqs {
				if r.Method != "POST" || r.Body != `{"name":"wrk","n":1}` || r.Headers.Get("Content-Length") != "20" ||
					r.Headers.Get("Content-Type") != "application/json" {
					t.Fatalf("request %+v", r)
				}
			}
		}},
		{script: "auth.lua", threads: 2, check: func(t *testing.T, sum *runner.Summary, reqs []sent, _ string, _ time.Duration) {
			logins := 0
			for _, r := range reqs {
				switch r.Path {
				case "/login":
					logins++
				case "/resource":
					if !strings.HasPrefix(r.Headers.Get("Authorization"), "Bearer tok-127.0.0.1:") {
						t.Fatalf("resource without token: %v", r.Headers)
					}
				default:
					t.Fatalf("unexpected path %s", r.Path)
				}
			}
			if logins != 2 {
				t.Errorf("%d logins, want one per thread", logins)
			}
		}},
		{script: "pipeline.lua", threads: 1, check: func(t *testing.T, sum *runner.Summary, reqs []sent, _ string, _ time.Duration) {
			for i, r := range reqs {
				if want := []string{"/one", "/two", "/three"}[i%3]; r.Path != want {
					t.Fatalf("request %d: %s, want %s", i, r.Path, want)
				}
			}
		}},
		{script: "stop.lua", threads: 2, check: func(t *testing.T, sum *runner.Summary, reqs []sent, _ string, elapsed time.Duration) {
			if sum.Requests != 10 {
				t.Errorf("%d responses, want 5 per thread", sum.Requests)
			}
			// Nothing is sent after stop(), as in wrk.
			if len(reqs) != 10 {
				t.Errorf("%d requests recorded, want 10", len(reqs))
			}
			// Unlike wrk, the run ends once every thread stopped, long
			// before its 30 s.
			if elapsed > 10*time.Second {
				t.Errorf("run took %v after every thread stopped", elapsed)
			}
		}},
		{script: "setup.lua", threads: 2, check: func(t *testing.T, sum *runner.Summary, reqs []sent, out string, _ time.Duration) {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 4 || lines[0] != "thread 1 created (t1, max 10)" || lines[1] != "thread 2 created (t2, max 20)" {
				t.Fatalf("output %q", out)
			}
			var total uint64
			for i, l := range lines[2:] {
				var id, q, r uint64
				if _, err := fmt.Sscanf(l, "thread %d: %d requests, %d responses", &id, &q, &r); err != nil || id != uint64(i+1) {
					t.Fatalf("line %q", l)
				}
				// Thread 1's request() ran once more for the start-up
				// check, and the last batch may be in flight at the stop.
				if extra := map[bool]uint64{true: 1, false: 0}[i == 0]; q != r+extra && q != r+extra+1 {
					t.Errorf("thread %d: %d requests, %d responses", id, q, r)
				}
				total += r
			}
			if total != sum.Requests {
				t.Errorf("threads counted %d responses, summary %d", total, sum.Requests)
			}
		}},
		{script: "delay.lua", threads: 2, check: func(t *testing.T, sum *runner.Summary, reqs []sent, _ string, _ time.Duration) {
			// delay() returns 20–30 ms and wrk waits that long after a
			// response before the next request on the connection, so on
			// every connection consecutive requests arrive at least 20 ms
			// apart. How many fit in 800 ms depends on the machine's load;
			// the spacing does not.
			last := map[string]time.Time{}
			for _, r := range reqs {
				if prev, ok := last[r.Remote]; ok {
					if gap := r.At.Sub(prev); gap < 19*time.Millisecond {
						t.Errorf("connection %s: requests %v apart, want >= 20ms (delay ignored)", r.Remote, gap)
					}
				}
				last[r.Remote] = r.At
			}
			// At most one request per 20 ms per connection, plus the first.
			if limit := uint64(2 * (sum.Runtime/(20*time.Millisecond) + 1)); sum.Requests > limit {
				t.Errorf("%d responses in %v, want at most %d for 2 connections", sum.Requests, sum.Runtime, limit)
			}
		}},
		{script: "addr.lua", threads: 2, check: func(t *testing.T, sum *runner.Summary, reqs []sent, out string, _ time.Duration) {
			if want := strings.Repeat("thread addr: "+reqs[0].Host+"\n", 2); out != want {
				t.Errorf("output %q, want %q", out, want)
			}
		}},
		{script: "report.lua", threads: 1, check: func(t *testing.T, sum *runner.Summary, reqs []sent, out string, _ time.Duration) {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 6 || lines[0] != "p,latency" || lines[5] != "requests,"+strconv.FormatUint(sum.Requests, 10) {
				t.Fatalf("output %q", out)
			}
			// percentile(100) is the maximum latency (wrk prints 0).
			if want := "100," + strconv.FormatUint(sum.Latency.Max, 10); lines[4] != want || sum.Latency.Max == 0 {
				t.Errorf("line %q, want %q", lines[4], want)
			}
		}},
	}
	for _, tt := range tests {
		for _, useTLS := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/tls=%v", tt.script, useTLS), func(t *testing.T) {
				t.Parallel()
				rec := startRecorderTLS(t, useTLS)
				// Until the server recorded 10 requests, some from each
				// thread's connection (one thread may connect late on a
				// loaded machine, and the checks count per thread), 30 s
				// at most; stop.lua's threads stop themselves at 10.
				until := func(reqs []sent) bool {
					conns := map[string]bool{}
					for _, r := range reqs {
						conns[r.Remote] = true
					}
					return len(reqs) >= 10 && len(conns) >= tt.threads
				}
				if tt.script == "stop.lua" {
					until = nil
				}
				sum, out, elapsed := runScript(t, rec, tt.script, tt.threads, 30*time.Second, until)
				reqs := rec.requests()
				if len(reqs) == 0 || sum.Requests == 0 {
					t.Fatalf("no traffic: %d recorded, %d responses", len(reqs), sum.Requests)
				}
				if uint64(len(reqs)) < sum.Requests {
					t.Errorf("server recorded %d requests, client counted %d responses", len(reqs), sum.Requests)
				}
				for _, r := range reqs {
					if r.Host != rec.srv.Listener.Addr().String() {
						t.Fatalf("Host %q", r.Host)
					}
				}
				tt.check(t, sum, reqs, out, elapsed)
			})
		}
	}
}

func TestHookErrorEndsRun(t *testing.T) {
	t.Parallel()
	rec := startRecorder(t)
	addr := rec.srv.Listener.Addr().(*net.TCPAddr)
	url := "http://" + addr.String() + "/"
	src := "local n = 0\nfunction response()\n  n = n + 1\n  if n == 3 then error('boom') end\nend"
	s, _, _ := load(t, "fail.lua", src, Options{URL: url, Threads: 1, Addr: addr})
	begin := time.Now()
	_, err := runner.Run(context.Background(), runner.Config{
		URL: url, Threads: 1, Connections: 1, Duration: 5 * time.Second, Timeout: 2 * time.Second, Script: s,
	}, addr, nil)
	if err == nil || !strings.Contains(err.Error(), "fail.lua:4: boom (in response(), thread 1)") {
		t.Fatalf("err = %v", err)
	}
	if time.Since(begin) > 2*time.Second {
		t.Error("a failing hook did not end the run promptly")
	}
}

// TestDoneStatsEndToEnd: done() sees the run's distributions, enumerable
// with s(i) and #s.
func TestDoneStatsEndToEnd(t *testing.T) {
	t.Parallel()
	rec := startRecorder(t)
	addr := rec.srv.Listener.Addr().(*net.TCPAddr)
	url := "http://" + addr.String() + "/"
	// Each thread stops after 10 responses: the run lasts until it has
	// them however loaded the machine (Duration is only a ceiling).
	src := `local seen = 0
function response()
  seen = seen + 1
  if seen >= 10 then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local n, total = #latency, 0
  for i = 1, n do local v, c = latency(i) total = total + c end
  io.write(string.format("%d %d %d %d %s %s", summary.requests, n, total, #requests,
    tostring(latency.min <= latency:percentile(50) and latency:percentile(50) <= latency.max),
    tostring(latency:percentile(100) == latency.max)))
end`
	s, out, _ := load(t, "stats.lua", src, Options{URL: url, Threads: 2, Addr: addr})
	sum, err := runner.Run(context.Background(), runner.Config{
		URL: url, Threads: 2, Connections: 2, Duration: 30 * time.Second, Timeout: 2 * time.Second, Script: s,
	}, addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Requests < 20 {
		t.Fatalf("%d responses, want 10 per thread", sum.Requests)
	}
	if err := s.Done(FromSummary(sum)); err != nil {
		t.Fatal(err)
	}
	var total uint64
	for _, b := range sum.Latency.Buckets() {
		total += b.Count
	}
	want := fmt.Sprintf("%d %d %d %d true true", sum.Requests, len(sum.Latency.Buckets()), total, len(sum.ReqPerSec.Buckets()))
	if out.String() != want || len(sum.Latency.Buckets()) == 0 {
		t.Errorf("done() printed %q, want %q", out, want)
	}
}
