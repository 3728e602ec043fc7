//go:build linux

package runner

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wrklint/wrklint/internal/testutil"
)

// TestTLSResumption checks that reconnects resume the thread's session,
// with TLS 1.2 and 1.3 tickets, that --no-tls-resume makes every handshake
// full, and that the counts agree with what the server saw.
func TestTLSResumption(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		version  uint16
		noResume bool
	}{
		{"tls1.3", tls.VersionTLS13, false},
		{"tls1.2", tls.VersionTLS12, false},
		{"tls1.3 no resume", tls.VersionTLS13, true},
		{"tls1.2 no resume", tls.VersionTLS12, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var resumed, full, served atomic.Int64
			conf := &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}, MaxVersion: tt.version}
			// Every response closes the connection, so every request
			// costs a handshake.
			resp := []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
			// The run lasts until the server has answered enough
			// requests for the client to have completed at least 10 (a
			// response per connection may be in flight at the end): a
			// fixed second saw 4 full handshakes under -cpu 1 on a loaded
			// machine.
			cfg := testConfig(nil, true)
			const want = 10
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			srv := startServerTLS(t, conf, func(s *testServer, c net.Conn) {
				tc := c.(*tls.Conn)
				if err := tc.Handshake(); err != nil {
					return
				}
				if tc.ConnectionState().DidResume {
					resumed.Add(1)
				} else {
					full.Add(1)
				}
				if s.readRequest(bufio.NewReader(c)) {
					if _, err := c.Write(resp); err == nil && served.Add(1) == want+int64(cfg.Connections) {
						cancel()
					}
				}
			})
			cfg.URL = "https://" + srv.addr.String() + "/"
			cfg.TLSNoResume = tt.noResume
			cfg.Duration = 20 * time.Second // a ceiling
			s, err := Run(ctx, cfg, srv.addr, nil)
			if err != nil {
				t.Fatal(err)
			}
			srv.stop()
			noErrors(t, s)
			t.Logf("%d requests, handshakes %+v", s.Requests, s.TLS)
			if s.TLS == nil {
				t.Fatal("no TLS handshake counts in the summary")
			}
			if s.Requests < 10 {
				t.Fatalf("requests = %d, want many reconnects", s.Requests)
			}
			// The client counts handshakes it completed, the server
			// those it completed: the end of the run can cut one in
			// flight on each connection on either side (with TLS 1.3
			// the client is done before the server has read its
			// Finished).
			slack := int64(cfg.Connections)
			if got, srv := int64(s.TLS.Resumed), resumed.Load(); got > srv+slack || got < srv-slack {
				t.Errorf("client counted %d resumed handshakes, server %d", got, srv)
			}
			if got, srv := int64(s.TLS.Full), full.Load(); got > srv+slack || got < srv-slack {
				t.Errorf("client counted %d full handshakes, server %d", got, srv)
			}
			if tt.noResume {
				if s.TLS.Resumed != 0 {
					t.Errorf("resumed = %d with resumption off", s.TLS.Resumed)
				}
				return
			}
			// One full handshake per thread's first connections at most;
			// every reconnect after that resumes.
			if s.TLS.Full > uint64(cfg.Connections) || s.TLS.Resumed+s.TLS.Full < s.Requests {
				t.Errorf("handshakes: %+v for %d requests; want all but the first per connection resumed", *s.TLS, s.Requests)
			}
		})
	}
}

// TestTLSFaults covers what a TLS server can break beyond the plain faults
// of TestRunAgainstMisbehavingServers: records cut short and handshakes
// that never finish.
func TestTLSFaults(t *testing.T) {
	// Each case counts the whole process's descriptors: alone in a child
	// process, the test runs beside the package's parallel tests.
	if testutil.RunAlone(t) {
		return
	}
	// Warm up the runtime's own poller (its epoll and eventfd descriptors
	// come with the first socket) so that it is not mistaken for a leak.
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		ln.Close()
	}
	tests := []struct {
		name    string
		handler handler
		config  func(*Config)
		// until ends the run (polled every 10 ms; the duration is then
		// a ceiling) once what check needs has happened.
		until func(p Progress) bool
		check func(t *testing.T, s *Summary)
	}{
		{
			// The response's record is cut after a few bytes and the
			// connection closed: a read error, not a response.
			name: "truncated record",
			handler: func(s *testServer, c net.Conn) {
				if !s.readRequest(bufio.NewReader(c)) {
					return
				}
				_, _ = rawConn(c).Write([]byte{23, 3, 3, 0, 200, 1, 2, 3})
			},
			until: func(p Progress) bool { return p.Errors > 0 },
			check: func(t *testing.T, s *Summary) {
				if s.Requests != 0 || s.Errors.ReadCauses["tls"] == 0 {
					t.Errorf("requests = %d, errors = %+v; want read errors caused by tls", s.Requests, s.Errors)
				}
			},
		},
		{
			// Garbage where a record header belongs.
			name: "bad record",
			handler: func(s *testServer, c net.Conn) {
				if !s.readRequest(bufio.NewReader(c)) {
					return
				}
				_, _ = rawConn(c).Write([]byte("HTTP/1.1 200 OK\r\n\r\n"))
			},
			until: func(p Progress) bool { return p.Errors > 0 },
			check: func(t *testing.T, s *Summary) {
				if s.Requests != 0 || s.Errors.ReadCauses["tls"] == 0 {
					t.Errorf("requests = %d, errors = %+v; want read errors caused by tls", s.Requests, s.Errors)
				}
			},
		},
		{
			// The server accepts but never answers the ClientHello: each
			// handshake ends at --timeout as a connect error.
			name:    "hung handshake",
			handler: func(s *testServer, _ net.Conn) { <-s.done },
			config:  func(c *Config) { c.Timeout = 200 * time.Millisecond },
			until:   func(p Progress) bool { return p.Errors > 0 },
			check: func(t *testing.T, s *Summary) {
				if s.Requests != 0 || s.Errors.Connect == 0 || s.Errors.ConnectCauses["timeout"] != s.Errors.Connect {
					t.Errorf("requests = %d, errors = %+v; want connect errors, all timeouts", s.Requests, s.Errors)
				}
			},
		},
		{
			// The server's response is split over many small records and
			// writes: the loop must reassemble records across reads.
			name: "one record per byte",
			handler: func(s *testServer, c net.Conn) {
				r := bufio.NewReader(c)
				resp := okResponse(body601)
				for s.readRequest(r) {
					for i := range len(resp) {
						if _, err := c.Write([]byte{resp[i]}); err != nil {
							return
						}
					}
				}
			},
			until: func(p Progress) bool { return p.Requests > 0 },
			check: func(t *testing.T, s *Summary) {
				noErrors(t, s)
				if s.Requests == 0 {
					t.Error("no requests completed")
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := openFDs(t)
			srv := startServer(t, true, tt.handler)
			cfg := testConfig(srv.addr, true)
			if tt.config != nil {
				tt.config(&cfg)
			}
			// stopped is when until said so; only Run's goroutine
			// writes it (Progress runs there).
			var stopped time.Time
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cfg.Duration = 20 * time.Second // a ceiling
			cfg.progressEvery = 10 * time.Millisecond
			cfg.Progress = func(p Progress) {
				if stopped.IsZero() && tt.until(p) {
					stopped = time.Now()
					cancel()
				}
			}
			s, err := Run(ctx, cfg, srv.addr, nil)
			if err != nil {
				t.Fatal(err)
			}
			if stopped.IsZero() {
				t.Errorf("nothing happened in %v", s.Runtime)
			} else if limit := max(2*time.Second, cfg.Timeout/2); time.Since(stopped) > limit {
				// Half the --timeout: the end of the run interrupts a
				// hung handshake rather than waiting it out.
				t.Errorf("run took %v to stop, want at most %v", time.Since(stopped), limit)
			}
			srv.stop()
			tt.check(t, s)
			if after := openFDs(t); after > before {
				t.Errorf("open descriptors: %d before, %d after", before, after)
			}
		})
	}
}

// TestTLSKeyExchange checks that the default ClientHello offers only the
// classic curves (as wrk's OpenSSL 3.0 does) and --hybrid-kex the
// post-quantum hybrid first.
func TestTLSKeyExchange(t *testing.T) {
	t.Parallel()
	for _, hybrid := range []bool{false, true} {
		t.Run(fmt.Sprintf("hybrid=%v", hybrid), func(t *testing.T) {
			t.Parallel()
			var offered, hellos atomic.Int64
			conf := &tls.Config{
				Certificates: []tls.Certificate{selfSigned(t)},
				GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
					hellos.Add(1)
					if slices.Contains(hello.SupportedCurves, tls.X25519MLKEM768) {
						offered.Add(1)
					}
					return nil, nil
				},
			}
			srv := startServerTLS(t, conf, respond(okResponse("x")))
			cfg := testConfig(srv.addr, true)
			cfg.Duration = 20 * time.Second // a ceiling: handshakes are slow on a loaded machine
			cfg.TLSHybridKEX = hybrid
			s := runUntil(t, cfg, srv.addr, func(p Progress) bool { return p.Requests > 0 })
			srv.stop()
			want := int64(0)
			if hybrid {
				want = hellos.Load()
			}
			if s.Requests == 0 || hellos.Load() == 0 || offered.Load() != want {
				t.Errorf("hybrid %v: requests = %d, %d of %d ClientHellos offered X25519MLKEM768 (errors %+v)", hybrid, s.Requests, offered.Load(), hellos.Load(), s.Errors)
			}
		})
	}
}

// TestTLSVersionPinning: once a server answered with TLS 1.2, a thread's
// ClientHellos offer only 1.2 (no TLS 1.3 key share to compute); when the
// server then refuses 1.2, the thread offers 1.3 again and the run goes on.
func TestTLSVersionPinning(t *testing.T) {
	var hellos, offered13, handshakes13 atomic.Int64
	var only13 atomic.Bool
	// The run lasts until a TLS 1.3 handshake per connection after the
	// switch (20 s at most): a fixed second could end before the switch
	// on a loaded machine.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := testConfig(nil, true)
	cfg.Duration = 20 * time.Second
	cert := selfSigned(t)
	conf := &tls.Config{
		Certificates: []tls.Certificate{cert},
		GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			if !only13.Load() {
				hellos.Add(1)
				if slices.Contains(hello.SupportedVersions, tls.VersionTLS13) {
					offered13.Add(1)
				}
				return &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: tls.VersionTLS12}, nil //nolint:gosec // a TLS 1.2 server is the case under test
			}
			return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13}, nil
		},
	}
	resp := []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
	srv := startServerTLS(t, conf, func(s *testServer, c net.Conn) {
		tc := c.(*tls.Conn)
		if err := tc.Handshake(); err != nil {
			return
		}
		if tc.ConnectionState().Version == tls.VersionTLS13 {
			if handshakes13.Add(1) == int64(cfg.Connections) {
				cancel()
			}
		} else if hellos.Load() >= 40 {
			only13.Store(true) // from the next ClientHello on
		}
		if s.readRequest(bufio.NewReader(c)) {
			_, _ = c.Write(resp)
		}
	})
	cfg.URL = "https://" + srv.addr.String() + "/"
	s, err := Run(ctx, cfg, srv.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.stop()
	t.Logf("%d requests, %d TLS 1.2 ClientHellos (%d offering 1.3), %d TLS 1.3 handshakes, errors %+v",
		s.Requests, hellos.Load(), offered13.Load(), handshakes13.Load(), s.Errors)
	if !only13.Load() {
		t.Fatalf("only %d handshakes in %v: the server never went TLS 1.3-only", hellos.Load(), s.Runtime)
	}
	// Only the attempts started before a thread's first answer offer 1.3.
	if offered13.Load() > int64(cfg.Connections) {
		t.Errorf("%d of %d ClientHellos to a TLS 1.2 server offered TLS 1.3; want at most one per connection", offered13.Load(), hellos.Load())
	}
	// Each thread fails the attempts it had pinned in flight, then offers
	// both versions again.
	if handshakes13.Load() == 0 || s.Errors.Connect > uint64(2*cfg.Connections) {
		t.Errorf("after the server went TLS 1.3-only: %d TLS 1.3 handshakes, %d connect errors", handshakes13.Load(), s.Errors.Connect)
	}
}

// TestTransport pins down what crypto/tls relies on: "no data" is a
// temporary net.Error (so the connection stays usable), the loop's bytes are
// consumed exactly, the peer's close is io.EOF only once they are, and
// writes take everything even when the socket does not.
func TestTransport(t *testing.T) {
	var tr transport
	b := make([]byte, 4)
	n, err := tr.Read(b)
	var ne net.Error
	if n != 0 || !errors.As(err, &ne) || !ne.Temporary() { //nolint:staticcheck // crypto/tls decides on Temporary
		t.Fatalf("empty read = %d, %v; want a temporary net.Error", n, err)
	}
	tr.in = []byte("abcdef")
	tr.eof = true
	var got []byte
	for {
		n, err := tr.Read(b)
		got = append(got, b[:n]...)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("read error %v, want io.EOF after the data", err)
			}
			break
		}
	}
	if string(got) != "abcdef" {
		t.Errorf("read %q, want abcdef", got)
	}

	// A socket pair whose peer never reads: writes beyond what the kernel
	// buffers land in out, in order, and never fail.
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])
	w := transport{fd: fds[0]}
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	for i := 0; i < 64 && len(w.out) == 0; i++ {
		n, err := w.Write(chunk)
		if n != len(chunk) || err != nil {
			t.Fatalf("write = %d, %v; want all of it", n, err)
		}
	}
	if len(w.out) == 0 {
		t.Fatal("the socket took 4 MiB without blocking; cannot test the buffered path")
	}
	if _, err := w.Write([]byte("tail")); err != nil || !bytes.HasSuffix(w.out, []byte("tail")) {
		t.Errorf("a write behind buffered bytes must append: err %v", err)
	}
	// A closed peer is a real error, reported (the connection is dead).
	unix.Close(fds[1])
	w.out = nil
	if _, err := w.Write(chunk); err == nil {
		t.Error("write to a closed peer succeeded")
	}
}
