//go:build linux

package runner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// fakeScript stands in for the Lua runtime to exercise the hook seam.
type fakeScript struct {
	caps    ScriptCaps
	method  string
	delay   time.Duration
	stopAt  int            // stop the thread after this many responses (0: never)
	failAt  int            // return an error from Response at this count (0: never)
	addrs   []*net.TCPAddr // per-thread addresses (thread.addr)
	threads []*fakeThread
}

func (s *fakeScript) Caps() ScriptCaps { return s.caps }

func (s *fakeScript) NewThread(i int) (ThreadScript, error) {
	th := &fakeThread{s: s, id: i}
	s.threads = append(s.threads, th)
	return th, nil
}

type fakeThread struct {
	s         *fakeScript
	id        int
	n         int // requests generated
	responses []string
	bad       []string
	stopped   bool
}

func (th *fakeThread) StaticRequest() ([]byte, error) {
	return []byte("GET /static HTTP/1.1\r\nHost: x\r\n\r\n"), nil
}

func (th *fakeThread) Request(dst []byte) ([]byte, error) {
	for i := 0; i < max(th.s.caps.Depth, 1); i++ {
		th.n++
		dst = fmt.Appendf(dst, "%s /t%d/%d HTTP/1.1\r\nHost: x\r\n\r\n", th.s.method, th.id, th.n)
	}
	return dst, nil
}

func (th *fakeThread) Response(r *Response) error {
	var path string
	for _, h := range r.Headers {
		if string(h.Name) == "X-Path" {
			path = string(h.Value)
		}
	}
	if th.s.method != "HEAD" && string(r.Body) != "body of "+path {
		th.bad = append(th.bad, fmt.Sprintf("status %d path %q body %q", r.Status, path, r.Body))
	}
	th.responses = append(th.responses, path)
	if th.s.stopAt > 0 && len(th.responses) >= th.s.stopAt {
		th.stopped = true
	}
	if th.s.failAt > 0 && len(th.responses) >= th.s.failAt {
		return errors.New("boom in response")
	}
	return nil
}

func (th *fakeThread) Delay() (time.Duration, error) { return th.s.delay, nil }
func (th *fakeThread) Addr() *net.TCPAddr {
	if th.id < len(th.s.addrs) {
		return th.s.addrs[th.id]
	}
	return nil
}
func (th *fakeThread) Stopped() bool { return th.stopped }

// echoPath answers each request with its path in X-Path and in the body,
// as a chunked response; HEAD gets the headers of a 601-byte body only.
func echoPath(srv *testServer, c net.Conn) {
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		method, rest, _ := strings.Cut(line, " ")
		path, _, _ := strings.Cut(rest, " ")
		if !srv.readRequest(r) {
			return
		}
		var resp string
		if method == "HEAD" {
			resp = "HTTP/1.1 200 OK\r\nX-Path: " + path + "\r\nContent-Length: 601\r\n\r\n"
		} else {
			body := "body of " + path
			resp = fmt.Sprintf("HTTP/1.1 200 OK\r\nX-Path: %s\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", path, len(body), body)
		}
		if _, err := c.Write([]byte(resp)); err != nil {
			return
		}
	}
}

func TestScriptHooks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		script *fakeScript
		check  func(t *testing.T, s *Summary, sc *fakeScript, elapsed time.Duration)
	}{
		{
			name:   "dynamic pipelined requests with response hook",
			script: &fakeScript{caps: ScriptCaps{Request: true, Response: true, Depth: 3}, method: "GET"},
			check: func(t *testing.T, s *Summary, sc *fakeScript, _ time.Duration) {
				var total int
				for _, th := range sc.threads {
					total += len(th.responses)
					if len(th.bad) > 0 {
						t.Errorf("thread %d: mismatched responses, first: %s", th.id, th.bad[0])
					}
					// Responses come back in request order per connection.
					for _, p := range th.responses {
						if !strings.HasPrefix(p, fmt.Sprintf("/t%d/", th.id)) {
							t.Fatalf("thread %d got a response for %s", th.id, p)
						}
					}
				}
				if total == 0 || uint64(total) != s.Requests {
					t.Errorf("hook saw %d responses, summary says %d", total, s.Requests)
				}
				// One latency sample per batch of 3, before the correction adds any.
				if s.Latency.Count+uint64(s.Connections) < s.Requests/3 || s.Requests%3 > uint64(s.Connections) {
					t.Errorf("latency samples %d for %d pipelined requests", s.Latency.Count, s.Requests)
				}
			},
		},
		{
			name:   "delay throttles",
			script: &fakeScript{caps: ScriptCaps{Delay: true, Response: true}, delay: 50 * time.Millisecond, method: "GET"},
			check: func(t *testing.T, s *Summary, _ *fakeScript, _ time.Duration) {
				// 4 connections, ≥ 50 ms before each request.
				most := uint64(s.Connections) * uint64(s.Runtime/(50*time.Millisecond)+1)
				if s.Requests == 0 || s.Requests > most {
					t.Errorf("requests = %d in %v, want 1..%d", s.Requests, s.Runtime, most)
				}
			},
		},
		{
			name:   "HEAD has no body",
			script: &fakeScript{caps: ScriptCaps{Request: true, Response: true}, method: "HEAD"},
			check: func(t *testing.T, s *Summary, _ *fakeScript, _ time.Duration) {
				noErrors(t, s)
				if s.Requests < 10 {
					t.Errorf("requests = %d: HEAD responses stall", s.Requests)
				}
			},
		},
		{
			name:   "every thread stops itself",
			script: &fakeScript{caps: ScriptCaps{Response: true}, stopAt: 5, method: "GET"},
			check: func(t *testing.T, s *Summary, sc *fakeScript, elapsed time.Duration) {
				// The configured minute must not be waited out (a
				// heavily loaded machine took 2.6 s for the 10 requests).
				if elapsed > 15*time.Second {
					t.Errorf("run took %v after every thread stopped", elapsed)
				}
				if s.Requests < 10 || s.Requests > 10+4 {
					t.Errorf("requests = %d, want about 5 per thread", s.Requests)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, false, echoPath)
			cfg := testConfig(srv.addr, false)
			cfg.Script = tt.script
			if tt.script.stopAt > 0 {
				cfg.Duration = time.Minute
			}
			begin := time.Now()
			var s *Summary
			if tt.script.stopAt > 0 {
				var err error
				if s, err = Run(context.Background(), cfg, srv.addr, nil); err != nil {
					t.Fatal(err)
				}
			} else {
				// Until 10 requests, 20 s at most: a fixed half second
				// is short on a loaded machine.
				cfg.Duration = 20 * time.Second
				s = runUntil(t, cfg, srv.addr, func(p Progress) bool { return p.Requests >= 10 })
			}
			tt.check(t, s, tt.script, time.Since(begin))
		})
	}
}

// TestThreadAddr gives each thread its own server, as setup() assigning
// thread.addr does, and checks where the requests went.
func TestThreadAddr(t *testing.T) {
	t.Parallel()
	a := startServer(t, false, echoPath)
	b := startServer(t, false, echoPath)
	cfg := testConfig(a.addr, false)
	cfg.Duration = 20 * time.Second // a ceiling: until both servers answered
	cfg.Script = &fakeScript{caps: ScriptCaps{Response: true}, method: "GET", addrs: []*net.TCPAddr{nil, b.addr}}
	s := runUntil(t, cfg, a.addr, func(Progress) bool { return a.requests.Load() > 0 && b.requests.Load() > 0 })
	na, nb := uint64(a.requests.Load()), uint64(b.requests.Load())
	if na == 0 || nb == 0 || na+nb < s.Requests {
		t.Errorf("server a read %d, server b %d, client completed %d: want both used", na, nb, s.Requests)
	}
}

func TestScriptErrorEndsRun(t *testing.T) {
	t.Parallel()
	srv := startServer(t, false, echoPath)
	cfg := testConfig(srv.addr, false)
	// A minute against 10 s: a loaded machine may take a while to get
	// to the third response, but not most of a minute.
	cfg.Duration = time.Minute
	cfg.Script = &fakeScript{caps: ScriptCaps{Response: true}, failAt: 3, method: "GET"}
	begin := time.Now()
	_, err := Run(context.Background(), cfg, srv.addr, nil)
	var se *ScriptError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, want a *ScriptError", err)
	}
	if time.Since(begin) > 10*time.Second {
		t.Errorf("a failing hook did not end the run promptly")
	}
}
