package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"

	"github.com/wrklint/wrklint/internal/testutil"
	"github.com/wrklint/wrklint/internal/testutil/h2fault"
)

// h2Result is the part of --json that the HTTP/2 tests read.
type h2Result struct {
	Requests       uint64           `json:"requests"`
	RuntimeSeconds float64          `json:"runtime_seconds"`
	Protocol       string           `json:"protocol"`
	StatusCodes    map[string]int64 `json:"status_codes"`
	Errors         struct {
		Connect          uint64            `json:"connect"`
		Read             uint64            `json:"read"`
		Write            uint64            `json:"write"`
		Timeout          uint64            `json:"timeout"`
		Status           uint64            `json:"status"`
		Stream           uint64            `json:"stream"`
		Connection       uint64            `json:"connection"`
		StreamCauses     map[string]uint64 `json:"stream_causes"`
		ConnectionCauses map[string]uint64 `json:"connection_causes"`
	} `json:"errors"`
	Config struct {
		HTTP2   string `json:"http2"`
		Streams int    `json:"streams"`
		Rate    int    `json:"rate"`
	} `json:"config"`
}

// h2Run is one wrkrun run's outcome.
type h2Run struct {
	code           int
	res            h2Result // zero when no --json was written
	stdout, stderr string
}

// runH2 runs wrkrun in-process with args plus --json and the URL.
func runH2(t *testing.T, url string, args ...string) h2Run {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.json")
	var stdout, stderr testutil.SyncBuffer
	code := run(append(append([]string{"--json", path}, args...), url), testEnv(&stdout, &stderr))
	r := h2Run{code: code, stdout: stdout.String(), stderr: stderr.String()}
	// A run that fails at start writes no --json file.
	if raw, err := os.ReadFile(path); err == nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, &r.res); err != nil {
			t.Fatalf("--json: %v\n%s", err, raw)
		}
	}
	return r
}

// checkServed: every request wrkrun counted was answered by the server,
// and the server answered at most the streams in flight when the run
// ended (conns×streams) more.
func checkServed(t *testing.T, r h2Run, served int, inFlight int) {
	t.Helper()
	if r.res.Requests == 0 {
		t.Errorf("no requests; stdout %s stderr %s", r.stdout, r.stderr)
	}
	if int(r.res.Requests) > served || served > int(r.res.Requests)+inFlight {
		t.Errorf("wrkrun counted %d requests, the server answered %d (want between them at most %d in flight)",
			r.res.Requests, served, inFlight)
	}
}

// stopAfter10 is a script that stops each thread after 10 responses, so
// that a run lasts until it has them, however loaded the machine, with -d
// as a ceiling.
const stopAfter10 = "\nlocal responses = 0\nfunction response()\n  responses = responses + 1\n  if responses >= 10 then wrk.thread:stop() end\nend\n"

// TestHTTP2FaultServers runs wrkrun --http2 against fault servers through
// the command line and checks what the report and --json say; the engine
// meets every fault server in runner's tests. The servers check wrkrun on
// the wire: their violations must be empty, and the counts must agree.
//
// Runs use -t2: with -t1, GOMAXPROCS (2) > threads makes the worker block
// in raw system calls that keep their P (runner/poll_linux.go), and
// parallel in-process runs would starve the in-process servers.
func TestHTTP2FaultServers(t *testing.T) {
	t.Parallel()
	stopScript := writeScript(t, "stop.lua", stopAfter10)
	postBody := writeScript(t, "post.lua", "wrk.method = \"POST\"\nwrk.body = \"hello, http/2 world\"\n"+stopAfter10)
	tests := []struct {
		name  string
		b     h2fault.Behavior
		args  []string // besides --http2 -t2 -c2 and -d
		d     string   // -d: 30s, a ceiling, with the stop script; set: a fixed duration
		check func(t *testing.T, r h2Run, st h2fault.Stats)
	}{
		{name: "multiplexed streams", b: h2fault.Behavior{Delay: 2 * time.Millisecond}, args: []string{"-m4"},
			check: func(t *testing.T, r h2Run, st h2fault.Stats) {
				checkServed(t, r, st.Served, 8)
				// The server holds each response 2 ms: -m 4 keeps 4 open,
				// never more.
				if st.MaxConcurrent != 4 || st.ReqConns != 2 {
					t.Errorf("server saw at most %d concurrent streams over %d connections, want 4 (-m 4) over 2", st.MaxConcurrent, st.ReqConns)
				}
				if r.res.Protocol != "HTTP/2" || r.res.Config.HTTP2 != "require" || r.res.Config.Streams != 4 {
					t.Errorf("protocol %q, config %+v", r.res.Protocol, r.res.Config)
				}
				if !strings.Contains(r.stdout, "Protocol: HTTP/2") {
					t.Errorf("the text report does not name the protocol:\n%s", r.stdout)
				}
			}},
		{name: "TLS with ALPN h2", b: h2fault.Behavior{TLS: true}, args: []string{"-m8"},
			check: func(t *testing.T, r h2Run, st h2fault.Stats) {
				checkServed(t, r, st.Served, 16)
				if r.res.Protocol != "HTTP/2" {
					t.Errorf("protocol %q", r.res.Protocol)
				}
			}},
		{name: "GOAWAY ENHANCE_YOUR_CALM", b: h2fault.Behavior{GoAwayAfter: 5, GoAwayCode: http2.ErrCodeEnhanceYourCalm}, args: []string{"-m4"},
			check: func(t *testing.T, r h2Run, st h2fault.Stats) {
				checkServed(t, r, st.Served, 8)
				if r.res.Errors.Connection == 0 || r.res.Errors.Connection > uint64(st.GoAways) ||
					r.res.Errors.ConnectionCauses["GOAWAY ENHANCE_YOUR_CALM"] != r.res.Errors.Connection {
					t.Errorf("connection errors %d %v, server sent %d GOAWAYs with an error code",
						r.res.Errors.Connection, r.res.Errors.ConnectionCauses, st.GoAways)
				}
				if !regexp.MustCompile(`HTTP/2 errors: stream 0, connection [1-9]`).MatchString(r.stdout) {
					t.Errorf("the text report does not count the connection errors:\n%s", r.stdout)
				}
			}},
		{name: "RST_STREAM CANCEL every 5th", b: h2fault.Behavior{ResetEvery: 5, ResetCode: http2.ErrCodeCancel}, args: []string{"-m4"},
			check: func(t *testing.T, r h2Run, st h2fault.Stats) {
				checkServed(t, r, st.Served, 8)
				if r.res.Errors.Stream == 0 || int(r.res.Errors.Stream) > st.Resets || st.Resets > int(r.res.Errors.Stream)+8 {
					t.Errorf("stream errors %d, server reset %d streams", r.res.Errors.Stream, st.Resets)
				}
			}},
		{name: "1-byte window, body from wrk.body", b: h2fault.Behavior{InitialWindow: 1, Trickle: true},
			args: []string{"-m2", "-s", postBody}, check: func(t *testing.T, r h2Run, st h2fault.Stats) {
				checkServed(t, r, st.Served, 4)
				for _, req := range st.Requests {
					if req.Method != "POST" || string(req.Body) != "hello, http/2 world" {
						t.Fatalf("server got %s with body %q", req.Method, req.Body)
					}
				}
			}},
		// --timeout also bounds the start-up check's wait for the server's
		// SETTINGS: 100 ms failed it when the in-process server shared a
		// loaded machine; a second's run leaves room for 300 ms timeouts.
		{name: "slow server, timeouts", b: h2fault.Behavior{Delay: 5 * time.Second}, d: "1s", args: []string{"-m2", "--timeout", "300ms"},
			check: func(t *testing.T, r h2Run, _ h2fault.Stats) {
				if r.res.Requests != 0 || r.res.Errors.Timeout == 0 {
					t.Errorf("requests %d, timeouts %d", r.res.Requests, r.res.Errors.Timeout)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := h2fault.Start(t, tt.b)
			// Each thread stops itself after 10 responses: a fixed
			// 500 ms saw none under -race on a loaded machine. Cases
			// without responses, or with a script of their own, set
			// what they need.
			args := []string{"--http2", "-t2", "-c2", "-d", tt.d}
			if tt.d == "" {
				args = []string{"--http2", "-t2", "-c2", "-d", "30s"}
				if !slices.Contains(tt.args, "-s") {
					args = append(args, "-s", stopScript)
				}
			}
			r := runH2(t, s.URL, append(args, tt.args...)...)
			if r.code != 0 {
				t.Fatalf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
			}
			s.Close() // the counters are final
			st := s.Stats()
			if len(st.Violations) > 0 {
				t.Errorf("the server saw protocol violations: %q", st.Violations)
			}
			tt.check(t, r, st)
		})
	}
}

// TestHTTP2Unreachable: servers that never make an h2c connection usable
// fail the run at start (exit 1) with a message that says why.
func TestHTTP2Unreachable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		url        func(t *testing.T) string
		wantStderr string // regexp
	}{
		{name: "never sends SETTINGS", url: func(t *testing.T) string { return h2fault.Start(t, h2fault.Behavior{NoSettings: true}).URL },
			wantStderr: `unable to connect to 127\.0\.0\.1:\d+ server sent no HTTP/2 SETTINGS`},
		{name: "HTTP/1.1-only server, h2c", url: func(t *testing.T) string { return h2fault.StartHTTP1(t).URL },
			wantStderr: `unable to connect to 127\.0\.0\.1:\d+ server does not speak HTTP/2 \(h2c with prior knowledge\).*"HTTP/1\.1 505 HTTP Version Not Supported"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// --timeout bounds the wait for the first frame: a loaded
			// machine's late server must not pass for silence.
			r := runH2(t, tt.url(t), "--http2", "-t2", "-c2", "-m2", "-d", "500ms", "--timeout", "1s")
			if r.code != 1 || !regexp.MustCompile(tt.wantStderr).MatchString(r.stderr) {
				t.Errorf("exit %d, want 1; stderr %q, want %q", r.code, r.stderr, tt.wantStderr)
			}
		})
	}
}

// TestHTTP2ALPN: an https server that does not select h2 is an error that
// says so, unless --http2=auto, which falls back to HTTP/1.1 and reports
// it; a server that selects h2 is used with HTTP/2 under auto.
func TestHTTP2ALPN(t *testing.T) {
	t.Parallel()
	h1 := h2fault.ReferenceOptions{TLS: true, NextProtos: []string{"http/1.1"}}
	both := h2fault.ReferenceOptions{TLS: true}
	tests := []struct {
		name       string
		server     h2fault.ReferenceOptions
		flag       string
		wantCode   int
		wantStderr string // regexp
		wantProto  string
		wantH1     bool
	}{
		{name: "TLS without h2, required", server: h1, flag: "--http2", wantCode: 1,
			// Go's TLS server refuses a client that offers only h2 with an
			// alert; one that selected http/1.1 would be named instead.
			wantStderr: `server did not negotiate HTTP/2 \((ALPN: "http/1\.1"|remote error: tls: no application protocol)\); --http2=auto falls back to HTTP/1\.1`},
		{name: "TLS without h2, auto", server: h1, flag: "--http2=auto", wantProto: "HTTP/1.1", wantH1: true},
		{name: "TLS with h2, auto", server: both, flag: "--http2=auto", wantProto: "HTTP/2"},
		{name: "TLS with h2, required", server: both, flag: "--http2", wantProto: "HTTP/2"},
		{name: "h2c reference", server: h2fault.ReferenceOptions{}, flag: "--http2", wantProto: "HTTP/2"},
		{name: "h2c, auto is prior knowledge", server: h2fault.ReferenceOptions{}, flag: "--http2=auto", wantProto: "HTTP/2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ref := h2fault.StartReference(t, tt.server)
			// Each thread stops after 10 responses; -d is only a ceiling, so
			// a loaded machine (TLS handshakes run on goroutines that other
			// tests' workers can hold up) slows the run instead of leaving
			// it without a request.
			stop := writeScript(t, "stop.lua", stopAfter10)
			r := runH2(t, ref.URL, tt.flag, "-t2", "-c2", "-m4", "-d", "30s", "-s", stop)
			if r.code != tt.wantCode || !regexp.MustCompile(tt.wantStderr).MatchString(r.stderr) {
				t.Fatalf("exit %d, want %d; stderr %q, want %q", r.code, tt.wantCode, r.stderr, tt.wantStderr)
			}
			if tt.wantCode != 0 {
				if n := ref.H1.Load() + ref.H2.Load(); n != 0 {
					t.Errorf("the server answered %d requests of a run that failed at start", n)
				}
				return
			}
			h1n, h2n := ref.H1.Load(), ref.H2.Load()
			if r.res.Protocol != tt.wantProto {
				t.Errorf("protocol %q, want %q", r.res.Protocol, tt.wantProto)
			}
			if tt.wantH1 && (h2n != 0 || h1n < int64(r.res.Requests)) || !tt.wantH1 && (h1n != 0 || h2n < int64(r.res.Requests)) {
				t.Errorf("server answered %d HTTP/1.1 and %d HTTP/2 requests; wrkrun counted %d as %s", h1n, h2n, r.res.Requests, r.res.Protocol)
			}
			if r.res.Requests == 0 {
				t.Errorf("no requests")
			}
		})
	}
}

// TestHTTP2Rate: with -R every stream is scheduled; the server never sees
// more than the rate allows.
func TestHTTP2Rate(t *testing.T) {
	t.Parallel()
	s := h2fault.Start(t, h2fault.Behavior{})
	// Each thread stops after 50 responses (0.5 s at 100/s per thread when
	// the machine keeps up, longer when it does not); -d is only a ceiling.
	stop := writeScript(t, "stop.lua", strings.ReplaceAll(stopAfter10, ">= 10", ">= 50"))
	r := runH2(t, s.URL, "--http2", "-t2", "-c2", "-m4", "-d", "30s", "-R", "200", "-s", stop)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	s.Close()
	st := s.Stats()
	// At most 200/s over the run, plus the streams the two connections may
	// have open (2×4) and a schedule's start-up allowance of 20.
	limit := int64(200*r.res.RuntimeSeconds) + 8 + 20
	if int64(st.Streams) > limit || r.res.Requests < 100 || r.res.Config.Rate != 200 {
		t.Errorf("-R 200 for %.2f s: server saw %d streams (limit %d), wrkrun counted %d (want 100), config rate %d",
			r.res.RuntimeSeconds, st.Streams, limit, r.res.Requests, r.res.Config.Rate)
	}
	if len(st.Violations) > 0 {
		t.Errorf("violations %q", st.Violations)
	}
}

// h2Script exercises the Lua hooks over HTTP/2: request() builds
// wrk.format text (a POST with a header wrk users set, a connection-specific
// header that has no place in HTTP/2, and two requests in one result),
// response() reads headers in both cases and stops its thread after 20,
// delay() paces the streams, and done() prints what the script saw.
const h2Script = `local n = 0
function request()
  n = n + 1
  return wrk.format("POST", "/lua?n=" .. n, {["X-Test"] = "v", ["Connection"] = "keep-alive",
      ["Content-Type"] = "application/json"}, "{}") ..
    wrk.format("GET", "/second")
end
function delay()
  return 1
end
function response(status, headers, body)
  responses = (responses or 0) + 1
  if headers["Content-Type"] == "text/plain" and headers["content-type"] == "text/plain"
      and headers["CONTENT-TYPE"] == "text/plain" and headers["Set-Cookie"] ~= nil then
    ok = (ok or 0) + 1
  end
  if status == 200 and body == "ok" then
    bodies = (bodies or 0) + 1
  end
  for name in pairs(headers) do
    if name ~= string.lower(name) then
      upper = (upper or 0) + 1
    end
  end
  if responses >= 20 then
    wrk.thread:stop()
  end
end
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function done(summary)
  local r, o, b, u = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    r = r + (t:get("responses") or 0)
    o = o + (t:get("ok") or 0)
    b = b + (t:get("bodies") or 0)
    u = u + (t:get("upper") or 0)
  end
  io.write(string.format("responses=%d ok=%d bodies=%d requests=%d upper=%d stream_errors=%s\n",
    r, o, b, summary.requests, u, tostring(summary.errors.stream)))
end
`

func TestHTTP2Lua(t *testing.T) {
	t.Parallel()
	script := writeScript(t, "h2.lua", h2Script)
	s := h2fault.Start(t, h2fault.Behavior{})
	// Each thread stops itself after 20 responses; -d is only a ceiling
	// (a fixed 500 ms may see none on a loaded machine).
	r := runH2(t, s.URL, "--http2", "-t2", "-c2", "-m4", "-d", "30s", "-s", script)
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	s.Close()
	st := s.Stats()
	if len(st.Violations) > 0 {
		t.Errorf("violations %q", st.Violations)
	}
	m := regexp.MustCompile(`responses=(\d+) ok=(\d+) bodies=(\d+) requests=(\d+) upper=(\d+) stream_errors=(\w+)`).FindStringSubmatch(r.stdout)
	// pairs() yields the names as sent: lower case over HTTP/2; done()'s
	// summary.errors has the stream counter with --http2.
	if m == nil || m[1] == "0" || m[1] != m[2] || m[1] != m[3] || m[1] != m[4] || m[5] != "0" || m[6] != "0" {
		t.Errorf("done() printed %q: want response() called for every request, each seeing the headers in any case and the body, "+
			"pairs() lower-case names, summary.errors.stream 0", m)
	}
	var posts, seconds int
	for _, req := range st.Requests {
		switch {
		case strings.HasPrefix(req.Path, "/lua?n="):
			posts++
			if req.Method != "POST" || string(req.Body) != "{}" || req.Header["x-test"] == nil ||
				req.Header["content-type"] == nil || req.Header["connection"] != nil {
				t.Errorf("request() text became %+v", req)
			}
		case req.Path == "/second":
			seconds++
			if req.Method != "GET" || len(req.Body) != 0 {
				t.Errorf("second request became %+v", req)
			}
		default:
			t.Errorf("unexpected request %+v", req)
		}
		if !strings.HasPrefix(s.URL, "http://"+req.Authority) || req.Scheme != "http" {
			t.Errorf(":authority %q :scheme %q for %s", req.Authority, req.Scheme, s.URL)
		}
	}
	// Each request() result holds two requests: each becomes its own stream.
	if posts == 0 || seconds == 0 || posts-seconds > 8 || seconds-posts > 8 {
		t.Errorf("%d POST and %d GET streams: want both requests of every request() result sent", posts, seconds)
	}
}

// TestHTTP2Thresholds: HTTP/2 stream errors are failed requests for
// --threshold as for the live --abort-on: a run where the server resets
// every second stream fails error_rate<10% and errors<1 (exit 99).
func TestHTTP2Thresholds(t *testing.T) {
	t.Parallel()
	s := h2fault.Start(t, h2fault.Behavior{ResetEvery: 2, ResetCode: http2.ErrCodeCancel, Delay: time.Millisecond})
	// Each thread stops itself after 10 responses (30 s at most), by when
	// every second stream was reset: a fixed 500 ms saw none on a loaded
	// machine.
	stop := writeScript(t, "stop.lua", stopAfter10)
	r := runH2(t, s.URL, "--http2", "-t2", "-c2", "-m4", "-d", "30s", "-s", stop,
		"--threshold", "error_rate<10%", "--threshold", "errors<1")
	if r.res.Errors.Stream == 0 {
		t.Fatalf("no stream errors counted; exit %d, stderr %s", r.code, r.stderr)
	}
	if r.code != 99 {
		t.Errorf("exit %d with %d requests and %d stream errors, want 99 (thresholds failed)\nstdout %s",
			r.code, r.res.Requests, r.res.Errors.Stream, r.stdout)
	}
}

// TestHTTP2Merge: wrkrun merge of two HTTP/2 shards keeps the protocol and
// sums the stream errors.
func TestHTTP2Merge(t *testing.T) {
	t.Parallel()
	s := h2fault.Start(t, h2fault.Behavior{ResetEvery: 3, ResetCode: http2.ErrCodeCancel, Delay: time.Millisecond})
	dir := t.TempDir()
	stop := writeScript(t, "stop.lua", stopAfter10)
	var files []string
	var sum h2Result
	for i := range 2 {
		path := filepath.Join(dir, fmt.Sprintf("shard%d.json", i))
		var stdout, stderr testutil.SyncBuffer
		// Each thread stops itself after 10 responses (30 s at most),
		// enough for a reset on one of its connections: a fixed 400 ms
		// saw none under -race on a loaded machine.
		args := []string{"--http2", "-t2", "-c4", "-m2", "-d", "30s", "-s", stop, "--shard", fmt.Sprintf("%d/2", i), "--json", path, s.URL}
		if code := run(args, testEnv(&stdout, &stderr)); code != 0 {
			t.Fatalf("shard %d: exit %d\n%s%s", i, code, stdout.String(), stderr.String())
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var r h2Result
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		sum.Requests += r.Requests
		sum.Errors.Stream += r.Errors.Stream
		files = append(files, path)
	}
	merged := filepath.Join(dir, "merged.json")
	var stdout, stderr testutil.SyncBuffer
	if code := run(append([]string{"merge", "--json", merged}, files...), testEnv(&stdout, &stderr)); code != 0 {
		t.Fatalf("merge: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	raw, err := os.ReadFile(merged)
	if err != nil {
		t.Fatal(err)
	}
	var m h2Result
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if m.Protocol != "HTTP/2" || m.Requests != sum.Requests || m.Errors.Stream != sum.Errors.Stream || sum.Errors.Stream == 0 ||
		m.Errors.StreamCauses["CANCEL"] != m.Errors.Stream {
		t.Errorf("merged: protocol %q, %d requests, stream errors %d %v; the shards: %d requests, %d stream errors",
			m.Protocol, m.Requests, m.Errors.Stream, m.Errors.StreamCauses, sum.Requests, sum.Errors.Stream)
	}
	if !strings.Contains(stdout.String(), "HTTP/2 errors: stream ") {
		t.Errorf("the merged text report lacks the HTTP/2 errors line:\n%s", stdout.String())
	}
}

// TestHTTP2Flags: --http2 and -m values wrkrun refuses before any load,
// and those it accepts (checked with --dry-run, which sends nothing).
func TestHTTP2Flags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args       string
		wantCode   int
		wantStderr string // regexp
		wantStdout string // regexp, for accepted flags
	}{
		{args: "-m 2", wantCode: 1, wantStderr: `-m/--streams needs --http2`},
		{args: "--http2=off -m 2", wantCode: 1, wantStderr: `-m/--streams needs --http2`},
		{args: "--http2 -m 2000", wantCode: 1, wantStderr: `-m/--streams must be <= 1024`},
		{args: "--http2=bogus", wantCode: 1, wantStdout: `^Usage: wrkrun`}, // as wrk, for a bad value
		{args: "--http2 -m 0", wantCode: 1, wantStderr: `-m/--streams must be >= 1`},
		{args: "--http2 -m 1", wantStdout: `HTTP/2: +require, up to 1 stream per connection`},
		{args: "--http2 -m 8", wantStdout: `HTTP/2: +require, up to 8 streams per connection`},
		{args: "--http2=auto -m 1k", wantStdout: `HTTP/2: +auto, up to 1000 streams per connection`},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr testutil.SyncBuffer
			code := run(append(strings.Fields(tt.args), "--dry-run", "http://127.0.0.1:9/"), testEnv(&stdout, &stderr))
			if code != tt.wantCode || !regexp.MustCompile(tt.wantStderr).MatchString(stderr.String()) ||
				!regexp.MustCompile(tt.wantStdout).MatchString(stdout.String()) {
				t.Errorf("exit %d, want %d\nstdout %s\nstderr %s", code, tt.wantCode, stdout.String(), stderr.String())
			}
		})
	}
}
