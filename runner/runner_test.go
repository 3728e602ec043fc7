//go:build linux

package runner

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/wrklint/wrklint/internal/testutil"
)

func testConfig(srv *net.TCPAddr, useTLS bool) Config {
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	return Config{
		URL:         scheme + "://" + srv.String() + "/",
		Threads:     2,
		Connections: 4,
		Duration:    500 * time.Millisecond,
		// Long: runs that wait for their events last as long as a loaded
		// machine needs, and a slow response must not become a timeout
		// error. Cases about timeouts set their own.
		Timeout: 10 * time.Second,
		// Parallel tests share the process, and its Ps, with their servers.
		sharedProcess: true,
	}
}

// rawConn returns the TCP connection under a possibly-TLS server conn.
func rawConn(c net.Conn) *net.TCPConn {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	return c.(*net.TCPConn)
}

const body601 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" +
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// misbehavingCase is a server fault, run against plain HTTP and TLS.
type misbehavingCase struct {
	name    string
	handler handler // nil: nothing listens (connection refused)
	config  func(*Config)
	check   func(t *testing.T, s *Summary, srv *testServer, useTLS bool)
	// until, if set, ends the run once what check needs has happened
	// (polled every 10 ms); the duration is then only a ceiling. Fixed
	// durations were too short on a loaded machine, for TLS above all.
	until func(p Progress, srv *testServer) bool
	// heavy cases move tens of MiB (through TLS too): they run one at a
	// time, before the others, whose short runs would starve of CPU
	// beside them.
	heavy bool
}

func TestRunAgainstMisbehavingServers(t *testing.T) {
	// The descriptor count covers the whole process: alone in a child
	// process, the test runs beside the package's parallel tests.
	if testutil.RunAlone(t) {
		return
	}
	// Warm up the runtime's own poller so that its descriptors are not
	// mistaken for leaks.
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		ln.Close()
	}
	ok := okResponse(body601)
	tests := []misbehavingCase{
		{
			name:    "keep-alive",
			handler: respond(ok),
			until:   func(p Progress, _ *testServer) bool { return p.Requests >= 10 },
			check: func(t *testing.T, s *Summary, srv *testServer, _ bool) {
				noErrors(t, s)
				if s.Requests == 0 {
					t.Fatal("no requests completed")
				}
				// Every completed request was read by the server; at most one
				// in flight per connection was not answered when the run ended.
				if got := uint64(srv.requests.Load()); got < s.Requests || got > s.Requests+uint64(s.Connections) {
					t.Errorf("server read %d requests, client completed %d", got, s.Requests)
				}
				if s.Bytes != s.Requests*uint64(len(ok)) {
					t.Errorf("bytes = %d, want %d × %d", s.Bytes, s.Requests, len(ok))
				}
				if s.Latency.Count < s.Requests || s.ReqPerSec.Count == 0 {
					t.Errorf("latency samples %d, rate samples %d for %d requests", s.Latency.Count, s.ReqPerSec.Count, s.Requests)
				}
				if s.StatusCodes[200] != s.Requests {
					t.Errorf("status codes %v, want {200: %d}", s.StatusCodes, s.Requests)
				}
				enc, err := s.LatencyHist.Encode()
				if err != nil {
					t.Fatal(err)
				}
				h, err := hdrhistogram.Decode([]byte(enc))
				if err != nil || uint64(h.TotalCount()) != s.Latency.Count {
					t.Errorf("histogram decodes to %v samples (%v), want %d", h, err, s.Latency.Count)
				}
			},
		},
		{
			name: "close after every response",
			handler: func(srv *testServer, c net.Conn) {
				if srv.readRequest(bufio.NewReader(c)) {
					_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"))
				}
			},
			until: func(p Progress, _ *testServer) bool { return p.Requests >= 4 },
			check: func(t *testing.T, s *Summary, srv *testServer, _ bool) {
				noErrors(t, s)
				if s.Requests < 4 {
					t.Fatalf("requests = %d, want several", s.Requests)
				}
				if got := uint64(srv.accepted.Load()); got < s.Requests {
					t.Errorf("server accepted %d connections for %d responses: not reconnecting", got, s.Requests)
				}
			},
		},
		{
			name:    "close immediately",
			handler: func(*testServer, net.Conn) {},
			until:   func(p Progress, _ *testServer) bool { return p.Errors > 0 },
			check: func(t *testing.T, s *Summary, _ *testServer, useTLS bool) {
				if s.Requests != 0 {
					t.Errorf("requests = %d, want 0", s.Requests)
				}
				// Over TLS the close breaks the handshake: a connect error.
				got := s.Errors.Read
				if useTLS {
					got = s.Errors.Connect
				}
				if got == 0 {
					t.Errorf("errors = %+v, want read (plain) or connect (TLS) errors", s.Errors)
				}
			},
		},
		{
			name: "reset mid-response",
			handler: func(srv *testServer, c net.Conn) {
				if srv.readRequest(bufio.NewReader(c)) {
					_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial"))
					time.Sleep(5 * time.Millisecond)
					_ = rawConn(c).SetLinger(0) // best effort: a reset, not a FIN
				}
			},
			until: func(p Progress, _ *testServer) bool { return p.Errors > 0 },
			check: func(t *testing.T, s *Summary, _ *testServer, _ bool) {
				if s.Requests != 0 || s.Errors.Read == 0 {
					t.Errorf("requests = %d, errors = %+v; want 0 requests and read errors", s.Requests, s.Errors)
				}
			},
		},
		{
			name:    "garbage",
			handler: respond("GARBAGE GARBAGE\r\n\r\n"),
			until:   func(p Progress, _ *testServer) bool { return p.Errors > 0 },
			check: func(t *testing.T, s *Summary, _ *testServer, _ bool) {
				if s.Requests != 0 || s.Errors.Read == 0 {
					t.Errorf("requests = %d, errors = %+v; want 0 requests and read errors", s.Requests, s.Errors)
				}
			},
		},
		{
			name:    "interim 100 before each response",
			handler: respond("HTTP/1.1 100 Continue\r\n\r\n" + ok),
			until:   func(p Progress, _ *testServer) bool { return p.Requests > 0 },
			check: func(t *testing.T, s *Summary, srv *testServer, _ bool) {
				noErrors(t, s)
				if s.Requests == 0 {
					t.Fatal("no requests completed")
				}
				if got := uint64(srv.requests.Load()); got < s.Requests || got > s.Requests+uint64(s.Connections) {
					t.Errorf("server read %d requests, client completed %d: interim responses counted?", got, s.Requests)
				}
			},
		},
		{
			name:    "status 500",
			handler: respond("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"),
			until:   func(p Progress, _ *testServer) bool { return p.Errors > 0 },
			check: func(t *testing.T, s *Summary, _ *testServer, _ bool) {
				if s.Requests == 0 || s.Errors.Status != s.Requests {
					t.Errorf("requests = %d, status errors = %d; want equal and > 0", s.Requests, s.Errors.Status)
				}
				if len(s.StatusCodes) != 1 || s.StatusCodes[500] != s.Requests {
					t.Errorf("status codes %v, want {500: %d}", s.StatusCodes, s.Requests)
				}
				if e := s.Errors; e.Connect+e.Read+e.Write+e.Timeout != 0 {
					t.Errorf("socket errors %+v, want none", e)
				}
			},
		},
		{
			name: "slow",
			handler: func(srv *testServer, c net.Conn) {
				r := bufio.NewReader(c)
				for srv.readRequest(r) {
					select {
					case <-time.After(150 * time.Millisecond):
					case <-srv.done:
						return
					}
					if _, err := c.Write([]byte(ok)); err != nil {
						return
					}
				}
			},
			until: func(p Progress, _ *testServer) bool { return p.Requests >= 8 },
			check: func(t *testing.T, s *Summary, _ *testServer, _ bool) {
				noErrors(t, s)
				// Each connection completes at most a request per 150 ms.
				most := uint64(s.Connections) * uint64(s.Runtime/(150*time.Millisecond)+1)
				if s.Requests < 8 || s.Requests > most {
					t.Errorf("requests = %d in %v, want 8..%d", s.Requests, s.Runtime, most)
				}
				if s.Latency.Mean < 150e3 {
					t.Errorf("mean latency %.0fµs, want ≥ 150ms", s.Latency.Mean)
				}
			},
		},
		{
			name: "hang",
			handler: func(srv *testServer, c net.Conn) {
				if srv.readRequest(bufio.NewReader(c)) {
					<-srv.done
				}
			},
			config: func(c *Config) { c.Timeout = 200 * time.Millisecond },
			// Four timeouts, and a connection accepted to replace one.
			until: func(p Progress, srv *testServer) bool { return p.Timeouts >= 4 && srv.accepted.Load() > 4 },
			check: func(t *testing.T, s *Summary, srv *testServer, _ bool) {
				if s.Requests != 0 {
					t.Errorf("requests = %d, want 0", s.Requests)
				}
				// Each of the 4 connections times out at most every
				// 200 ms and is replaced.
				most := uint64(s.Connections) * uint64(s.Runtime/(200*time.Millisecond)+1)
				if s.Errors.Timeout < 4 || s.Errors.Timeout > most {
					t.Errorf("timeouts = %d in %v, want 4..%d", s.Errors.Timeout, s.Runtime, most)
				}
				if got := srv.accepted.Load(); got <= 4 {
					t.Errorf("server accepted %d connections, want hung ones replaced", got)
				}
			},
		},
		{
			name:  "100 MB body",
			heavy: true,
			handler: func(srv *testServer, c net.Conn) {
				r := bufio.NewReader(c)
				chunk := make([]byte, 1<<20)
				for srv.readRequest(r) {
					if _, err := c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 104857600\r\n\r\n")); err != nil {
						return
					}
					for i := 0; i < 100; i++ {
						if _, err := c.Write(chunk); err != nil {
							return
						}
						srv.written.Add(int64(len(chunk)))
					}
				}
			},
			config: func(c *Config) {
				c.Threads, c.Connections, c.Timeout = 1, 1, 10*time.Second
			},
			// The check needs 1 MiB read: once the server wrote 32 MiB,
			// the client read all but what the socket buffers hold (a few
			// MiB on loopback). 400 ms read 64 KiB over TLS under -race on
			// a loaded machine.
			until: func(_ Progress, srv *testServer) bool { return srv.written.Load() >= 32<<20 },
			check: func(t *testing.T, s *Summary, _ *testServer, _ bool) {
				noErrors(t, s)
				if s.Bytes < 1<<20 {
					t.Errorf("read %d bytes, want at least 1 MiB", s.Bytes)
				}
				if s.Bytes < s.Requests*(100<<20) {
					t.Errorf("%d requests but only %d bytes", s.Requests, s.Bytes)
				}
			},
		},
		{
			name:  "one-byte writes",
			until: func(p Progress, _ *testServer) bool { return p.Requests > 0 },
			handler: func(srv *testServer, c net.Conn) {
				r := bufio.NewReader(c)
				resp := []byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: 1\r\n\r\n")
				for srv.readRequest(r) {
					for i := range resp {
						if _, err := c.Write(resp[i : i+1]); err != nil {
							return
						}
					}
				}
			},
			check: func(t *testing.T, s *Summary, srv *testServer, _ bool) {
				noErrors(t, s)
				if s.Requests == 0 {
					t.Fatal("no requests completed")
				}
				if got := uint64(srv.requests.Load()); got < s.Requests {
					t.Errorf("server read %d requests, client completed %d", got, s.Requests)
				}
			},
		},
		{
			name: "close-delimited body",
			handler: func(srv *testServer, c net.Conn) {
				if srv.readRequest(bufio.NewReader(c)) {
					_, _ = c.Write([]byte("HTTP/1.0 200 OK\r\n\r\nbody until close"))
				}
			},
			until: func(p Progress, _ *testServer) bool { return p.Requests > 0 },
			check: func(t *testing.T, s *Summary, _ *testServer, _ bool) {
				// wrk counts each of these as a read error too; we do not.
				noErrors(t, s)
				if s.Requests == 0 {
					t.Fatal("no requests completed")
				}
			},
		},
		{
			// A 16 MiB request (more than the socket buffers hold) to a server that reads late: the writes must
			// stop on EAGAIN and resume when the socket drains.
			name:  "large request, slow reader",
			heavy: true,
			handler: func(srv *testServer, c net.Conn) {
				r := bufio.NewReader(c)
				for {
					select {
					case <-time.After(30 * time.Millisecond):
					case <-srv.done:
						return
					}
					if !srv.readRequest(r) {
						return
					}
					if _, err := c.Write([]byte(ok)); err != nil {
						return
					}
				}
			},
			config: func(c *Config) {
				c.Headers = []Header{{Name: "X-Big", Value: strings.Repeat("b", 16<<20)}}
			},
			until: func(p Progress, _ *testServer) bool { return p.Requests > 0 },
			check: func(t *testing.T, s *Summary, srv *testServer, _ bool) {
				noErrors(t, s)
				if s.Requests == 0 {
					t.Fatal("no requests completed")
				}
				if got := uint64(srv.requests.Load()); got < s.Requests {
					t.Errorf("server read %d requests, client completed %d", got, s.Requests)
				}
			},
		},
		{
			// Never reads or writes: over TLS the handshake hangs, and the
			// end of the run must interrupt it rather than wait for --timeout.
			name:    "silent",
			handler: func(srv *testServer, _ net.Conn) { <-srv.done },
			config:  func(c *Config) { c.Timeout = 5 * time.Second; c.Duration = 300 * time.Millisecond },
			check: func(t *testing.T, s *Summary, _ *testServer, _ bool) {
				noErrors(t, s)
				if s.Requests != 0 {
					t.Errorf("requests = %d, want 0", s.Requests)
				}
			},
		},
		{
			name:    "refused",
			handler: nil,
			until:   func(p Progress, _ *testServer) bool { return p.Errors > 0 },
			check: func(t *testing.T, s *Summary, _ *testServer, _ bool) {
				if s.Requests != 0 || s.Errors.Connect == 0 {
					t.Errorf("requests = %d, errors = %+v; want connect errors only", s.Requests, s.Errors)
				}
				if s.Errors.ConnectCauses["ECONNREFUSED"] != s.Errors.Connect {
					t.Errorf("connect causes %v, want all ECONNREFUSED", s.Errors.ConnectCauses)
				}
			},
		},
	}
	// The cases run in parallel, each with its own server; the descriptor
	// check covers them all once they are done (a per-case count would see
	// the others' sockets).
	before := openFDs(t)
	variants := func(t *testing.T, tt misbehavingCase, parallel bool) {
		for _, useTLS := range []bool{false, true} {
			name := "plain"
			if useTLS {
				name = "tls"
			}
			t.Run(name, func(t *testing.T) {
				if parallel {
					t.Parallel()
				}
				runMisbehaving(t, tt, useTLS)
			})
		}
	}
	// The heavy runs go one at a time: side by side, they take long
	// enough to stop on a loaded machine to trip the end-of-run bound.
	t.Run("heavy", func(t *testing.T) {
		for _, tt := range tests {
			if tt.heavy {
				t.Run(tt.name, func(t *testing.T) { variants(t, tt, false) })
			}
		}
	})
	t.Run("light", func(t *testing.T) {
		for _, tt := range tests {
			if !tt.heavy {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					variants(t, tt, true)
				})
			}
		}
	})
	if after := openFDs(t); after > before {
		t.Errorf("open descriptors: %d before, %d after", before, after)
	}
}

// runMisbehaving runs one case of TestRunAgainstMisbehavingServers.
func runMisbehaving(t *testing.T, tt misbehavingCase, useTLS bool) {
	var srv *testServer
	var addr *net.TCPAddr
	if tt.handler != nil {
		srv = startServer(t, useTLS, tt.handler)
		addr = srv.addr
	} else {
		addr = refusingAddr(t)
	}
	cfg := testConfig(addr, useTLS)
	// A long --timeout unless the case sets its own: the bound below
	// then tells a run that ends when it should (however loaded the
	// machine: 5.8 s to stop under -race at a load of 20) from one that
	// waits for a hung connection's timeout.
	cfg.Timeout = 30 * time.Second
	if tt.config != nil {
		tt.config(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// stopped is when the run was told to end: its duration, or until's
	// report; only Run's goroutine writes it (Progress runs there).
	begin := time.Now()
	stopped := begin.Add(cfg.Duration)
	if tt.until != nil {
		cfg.Duration = 20 * time.Second // a ceiling
		stopped = begin.Add(cfg.Duration)
		cfg.progressEvery = 10 * time.Millisecond
		cfg.Progress = func(p Progress) {
			if ctx.Err() == nil && tt.until(p, srv) {
				stopped = time.Now()
				cancel()
			}
		}
	}
	s, err := Run(ctx, cfg, addr, nil)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if limit := max(time.Second, cfg.Timeout/2); time.Since(stopped) > limit {
		t.Errorf("run took %v to stop, want at most %v (half the --timeout)", time.Since(stopped), limit)
	}
	if srv != nil {
		srv.stop()
	}
	tt.check(t, s, srv, useTLS)
}

// refusingAddr returns a loopback address that refuses connections: a
// socket bound to it but not listening, held until the test ends, so that
// no server started by a parallel test can take the port meanwhile.
func refusingAddr(t *testing.T) *net.TCPAddr {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: sa.(*syscall.SockaddrInet4).Port}
}

func noErrors(t *testing.T, s *Summary) {
	t.Helper()
	if !reflect.DeepEqual(s.Errors, (Summary{}).Errors) {
		t.Errorf("errors = %+v, want none", s.Errors)
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	t.Parallel()
	srv := startServer(t, false, respond(okResponse("x")))
	cfg := testConfig(srv.addr, false)
	cfg.Duration = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancelled from another goroutine, as SIGINT does, once requests
	// have completed: a fixed 200 ms may see none on a loaded machine.
	productive := make(chan struct{})
	cfg.progressEvery = 10 * time.Millisecond
	cfg.Progress = func(p Progress) {
		if p.Requests > 0 && productive != nil {
			close(productive)
			productive = nil
		}
	}
	cancelled := make(chan time.Time, 1)
	go func(productive <-chan struct{}) {
		<-productive
		cancelled <- time.Now()
		cancel()
	}(productive)
	begin := time.Now()
	s, err := Run(ctx, cfg, srv.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	var at time.Time
	select {
	case at = <-cancelled:
	default:
		t.Fatalf("the run ended after %v without being cancelled", time.Since(begin))
	}
	// Far below the minute's duration: a heavily loaded machine took
	// 3.2 s to stop.
	if took := time.Since(at); took > 10*time.Second {
		t.Errorf("cancelled run took %v to stop", took)
	}
	if s.Requests == 0 || s.Runtime > at.Sub(begin)+10*time.Second {
		t.Errorf("requests = %d, runtime = %v (cancelled after %v); want a short productive run", s.Requests, s.Runtime, at.Sub(begin))
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	srv := startServer(t, true, respond(okResponse("x")))
	for _, verify := range []bool{false, true} {
		t.Run(fmt.Sprint("verify=", verify), func(t *testing.T) {
			t.Parallel()
			cfg := testConfig(srv.addr, true)
			cfg.Verify = verify
			// Until the first failure or request: a fixed second saw
			// neither on a loaded machine (the first verification loads
			// the system's roots).
			cfg.Duration = 20 * time.Second
			s := runUntil(t, cfg, srv.addr, func(p Progress) bool { return p.Errors+p.Requests > 0 })
			// The certificate is self-signed: only an unverified run succeeds.
			if verify && (s.Requests != 0 || s.Errors.Connect == 0) {
				t.Errorf("verify: requests = %d, errors = %+v; want handshake failures", s.Requests, s.Errors)
			}
			if !verify && (s.Requests == 0 || s.Errors.Connect != 0) {
				t.Errorf("no verify: requests = %d, errors = %+v; want success", s.Requests, s.Errors)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		c, t int
		want string
	}{
		{10, 3, "[4 3 3]"}, // wrk would open 3 × 3 and drop one
		{4, 2, "[2 2]"},
		{1, 1, "[1]"},
		{5, 4, "[2 1 1 1]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(Split(tt.c, tt.t)); got != tt.want {
			t.Errorf("Split(%d, %d) = %s, want %s", tt.c, tt.t, got, tt.want)
		}
	}
}

// TestStaticPathAllocations checks that steady-state requests do not
// allocate: the whole process's mallocs over a run, server included,
// divided by the requests, must be a small fraction of one.
func TestStaticPathAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own")
	}
	srv := startServer(t, false, respond(okResponse(body601)))
	cfg := testConfig(srv.addr, false)
	cfg.Duration = 700 * time.Millisecond
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	s, err := Run(context.Background(), cfg, srv.addr, nil)
	runtime.ReadMemStats(&m1)
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests < 1000 {
		t.Skipf("only %d requests: machine too slow to measure", s.Requests)
	}
	// A run's set-up costs about 250 allocations whatever its length: on
	// a loaded machine (a few thousand requests) they alone made 0.05 per
	// request. A steady-state allocation would cost one per request.
	const setUp = 500
	mallocs := m1.Mallocs - m0.Mallocs
	perReq := float64(max(mallocs, setUp)-setUp) / float64(s.Requests)
	t.Logf("%d requests, %d mallocs, %.4f per request beyond %d for the set-up", s.Requests, mallocs, perReq, setUp)
	if perReq > 0.05 {
		t.Errorf("%.3f allocations per request, want ~0", perReq)
	}
}

// BenchmarkStaticRun runs the engine against an in-process keep-alive server
// for 300 ms per iteration and reports requests/s and allocations per
// request (process-wide, server included).
func BenchmarkStaticRun(b *testing.B) {
	srv := startServer(b, false, respond(okResponse(body601)))
	cfg := testConfig(srv.addr, false)
	cfg.Threads, cfg.Connections, cfg.Duration = 1, 50, 300*time.Millisecond
	var reqs uint64
	var elapsed time.Duration
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for b.Loop() {
		s, err := Run(context.Background(), cfg, srv.addr, nil)
		if err != nil {
			b.Fatal(err)
		}
		reqs += s.Requests
		elapsed += s.Runtime
	}
	runtime.ReadMemStats(&m1)
	b.ReportMetric(float64(reqs)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/float64(reqs), "allocs/req")
}
