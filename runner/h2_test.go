//go:build linux

package runner

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/http2"

	"github.com/wrklint/wrklint/runner/h2"
)

// h2Server is a golang.org/x/net/http2 server on 127.0.0.1: h2c with
// prior knowledge, or TLS with ALPN "h2". It counts what it served.
type h2Server struct {
	addr      *net.TCPAddr
	requests  atomic.Int64
	notH2     atomic.Int64 // requests that did not come over HTTP/2
	badBodies atomic.Int64
	bodies    atomic.Int64 // request bodies read in full
	mu        sync.Mutex
	lastReq   *http.Request
}

func startH2Server(t *testing.T, useTLS bool, srv *http2.Server, h http.HandlerFunc) *h2Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &h2Server{addr: ln.Addr().(*net.TCPAddr)}
	if h == nil {
		h = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Set-Cookie", "a=b")
			_, _ = io.WriteString(w, "hello")
		}
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if r.ProtoMajor != 2 {
			s.notH2.Add(1)
		}
		if r.ContentLength > 0 {
			// An error is the run's end closing the connection
			// mid-body; a short body without one is the client's.
			b, err := io.ReadAll(r.Body)
			if err == nil && int64(len(b)) != r.ContentLength {
				s.badBodies.Add(1)
			}
			if err == nil && int64(len(b)) == r.ContentLength {
				s.bodies.Add(1)
			}
		}
		s.mu.Lock()
		s.lastReq = r
		s.mu.Unlock()
		h(w, r)
	})
	var conf *tls.Config
	if useTLS {
		conf = &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}, NextProtos: []string{"h2"}}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				if conf != nil {
					tc := tls.Server(c, conf)
					// ServeConn wants the handshake done (it checks
					// the negotiated version and cipher).
					if err := tc.Handshake(); err != nil {
						c.Close()
						return
					}
					c = tc
				}
				srv.ServeConn(c, &http2.ServeConnOpts{Handler: handler})
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return s
}

func h2Config(addr *net.TCPAddr, useTLS bool, streams int) Config {
	cfg := testConfig(addr, useTLS)
	cfg.HTTP2 = HTTP2Require
	cfg.Streams = streams
	cfg.Duration = 400 * time.Millisecond
	return cfg
}

func TestHTTP2AgainstXNet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tls     bool
		streams int
		server  http2.Server
		auto    bool // --http2=auto: a server that selects h2 gets HTTP/2
	}{
		{"h2c one stream", false, 1, http2.Server{}, false},
		{"h2c ten streams", false, 10, http2.Server{}, false},
		{"h2c server allows one stream", false, 10, http2.Server{MaxConcurrentStreams: 1}, false},
		{"tls ten streams", true, 10, http2.Server{}, false},
		{"tls auto", true, 2, http2.Server{}, true},
		{"h2c small frames and table", false, 4, http2.Server{MaxReadFrameSize: 16384, MaxDecoderHeaderTableSize: 0}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startH2Server(t, tt.tls, &tt.server, nil)
			cfg := h2Config(srv.addr, tt.tls, tt.streams)
			if tt.auto {
				cfg.HTTP2 = HTTP2Auto
			}
			cfg.Duration = 20 * time.Second // a ceiling
			s := runUntil(t, cfg, srv.addr, func(p Progress) bool { return p.Requests >= 10 })
			t.Logf("%s: %d requests", tt.name, s.Requests)
			noErrors(t, s)
			if s.Errors.Stream != 0 || s.Errors.Conn != 0 {
				t.Errorf("HTTP/2 errors: %+v", s.Errors)
			}
			if s.Requests < 10 { // a stalled connection makes one or two
				t.Errorf("%d requests", s.Requests)
			}
			if got := srv.requests.Load(); uint64(got) < s.Requests {
				t.Errorf("server saw %d requests, client reported %d", got, s.Requests)
			}
			if n := srv.notH2.Load(); n != 0 {
				t.Errorf("%d requests not over HTTP/2", n)
			}
			if s.Protocol != "HTTP/2" {
				t.Errorf("protocol %q", s.Protocol)
			}
			if s.StatusCodes[200] != s.Requests {
				t.Errorf("status codes %v for %d requests", s.StatusCodes, s.Requests)
			}
			srv.mu.Lock()
			r := srv.lastReq
			srv.mu.Unlock()
			if r == nil {
				t.Fatal("the server saw no request")
			}
			if r.Method != "GET" || r.URL.Path != "/" || r.Host != srv.addr.String() {
				t.Errorf("request %s %s host %q", r.Method, r.URL, r.Host)
			}
		})
	}
}

// TestHTTP2ALPN: over TLS, --http2 needs the server to select h2, and
// --http2=auto falls back to HTTP/1.1 and says so.
func TestHTTP2ALPN(t *testing.T) {
	t.Parallel()
	resp := []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	h1 := func(s *testServer, c net.Conn) {
		br := bufio.NewReader(c)
		for s.readRequest(br) {
			if _, err := c.Write(resp); err != nil {
				return
			}
		}
	}
	for _, tt := range []struct {
		mode  HTTP2Mode
		proto string
	}{{HTTP2Auto, "HTTP/1.1"}, {HTTP2Require, ""}} {
		t.Run(tt.mode.String(), func(t *testing.T) {
			t.Parallel()
			srv := startServerTLS(t, &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}, NextProtos: []string{"http/1.1"}}, h1)
			defer srv.stop()
			cfg := h2Config(srv.addr, true, 4)
			cfg.HTTP2 = tt.mode
			// Until a request completes (a ceiling): 700 ms saw none
			// under -race on a loaded machine.
			cfg.Duration = 20 * time.Second
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cfg.progressEvery = 10 * time.Millisecond
			cfg.Progress = func(p Progress) {
				if p.Requests > 0 {
					cancel()
				}
			}
			s, err := Run(ctx, cfg, srv.addr, nil)
			if tt.proto == "" {
				var ce *ConnectError
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), "did not negotiate HTTP/2") {
					t.Fatalf("err = %v, want the ALPN refusal", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			noErrors(t, s)
			// The protocol is set by a completed handshake ("none"
			// without one).
			if s.Protocol != tt.proto || s.Requests == 0 {
				t.Fatalf("protocol %q, %d requests", s.Protocol, s.Requests)
			}
		})
	}
}

// h2Script is a ThreadScript with request(), response() and a depth of
// two: a POST with a body and a GET per batch.
type h2Script struct {
	responses   atomic.Int64
	badResponse atomic.Int64
}

func (s *h2Script) Caps() ScriptCaps { return ScriptCaps{Request: true, Response: true, Depth: 2} }
func (s *h2Script) NewThread(int) (ThreadScript, error) {
	return &h2Thread{s: s}, nil
}

type h2Thread struct{ s *h2Script }

func (t *h2Thread) StaticRequest() ([]byte, error) { return nil, errors.New("unused") }
func (t *h2Thread) Request(dst []byte) ([]byte, error) {
	dst = append(dst, "POST /post HTTP/1.1\r\nHost: example.test\r\nConnection: keep-alive\r\nX-Mixed-Case: 1\r\nContent-Length: 5\r\n\r\nhello"...)
	return append(dst, "GET /get HTTP/1.1\r\nHost: example.test\r\n\r\n"...), nil
}
func (t *h2Thread) Response(r *Response) error {
	t.s.responses.Add(1)
	ok := r.HTTP2 && r.Status == 200 && string(r.Body) == "hello"
	found := false
	for _, h := range r.Headers {
		if string(h.Name) == "set-cookie" && string(h.Value) == "a=b" {
			found = true
		}
	}
	if !ok || !found {
		t.s.badResponse.Add(1)
	}
	return nil
}
func (t *h2Thread) Delay() (time.Duration, error) { return 0, nil }
func (t *h2Thread) Stopped() bool                 { return false }

func TestHTTP2ScriptHooks(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]int{}
	srv := startH2Server(t, false, &http2.Server{}, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Method+" "+r.URL.Path+" "+r.Host+" "+r.Header.Get("X-Mixed-Case")]++
		mu.Unlock()
		w.Header().Set("Set-Cookie", "a=b")
		_, _ = io.WriteString(w, "hello")
	})
	cfg := h2Config(srv.addr, false, 3)
	sc := &h2Script{}
	cfg.Script = sc
	cfg.Duration = 20 * time.Second // a ceiling: two batches of a POST and a GET
	s := runUntil(t, cfg, srv.addr, func(p Progress) bool { return p.Requests >= 4 })
	noErrors(t, s)
	if s.Requests == 0 || uint64(sc.responses.Load()) != s.Requests {
		t.Fatalf("%d requests, %d responses seen by the script", s.Requests, sc.responses.Load())
	}
	if n := sc.badResponse.Load(); n != 0 {
		t.Errorf("%d responses not as sent", n)
	}
	if n := srv.badBodies.Load(); n != 0 {
		t.Errorf("%d request bodies incomplete", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["POST /post example.test 1"] == 0 || seen["GET /get example.test "] == 0 || len(seen) != 2 {
		t.Errorf("server saw %v", seen)
	}
}

// TestHTTP2Rate: with -R every stream is scheduled, and the run never
// gets ahead of the schedule. It runs until 100 requests: how many fit in
// a fixed duration depends on the machine's load (a loaded one completed
// 4 in 0.5 s under -race), the pace the schedule allows does not.
func TestHTTP2Rate(t *testing.T) {
	t.Parallel()
	srv := startH2Server(t, false, &http2.Server{}, nil)
	cfg := h2Config(srv.addr, false, 10)
	cfg.Rate = 400
	cfg.Duration = 20 * time.Second // a ceiling
	s := runUntil(t, cfg, srv.addr, func(p Progress) bool { return p.Requests >= 100 })
	noErrors(t, s)
	if s.Requests < 100 {
		t.Fatalf("%d requests in %v at -R 400", s.Requests, s.Runtime)
	}
	if s.ScheduleLagHist == nil || uint64(s.ScheduleLagHist.Count()) < s.Requests {
		t.Fatalf("schedule lag %v for %d requests: not every stream scheduled", s.ScheduleLagHist, s.Requests)
	}
	// Never ahead: at most rate × runtime, 10 % for the clocks, plus the
	// streams of the first sends.
	if most := float64(cfg.Rate)*s.Runtime.Seconds()*1.1 + float64(cfg.Connections*cfg.Streams); float64(s.Requests) > most {
		t.Errorf("%d requests in %v at -R 400, want at most %.0f", s.Requests, s.Runtime, most)
	}
}

// startRawH2Server is a minimal h2c server that answers every request
// stream with a prebuilt response (":status 200" indexed, a 2-byte body)
// using the package's own frame reader, so that it allocates (almost)
// nothing and the client's allocations can be measured.
func startRawH2Server(t *testing.T) *net.TCPAddr { return startFaultH2Server(t, nil) }

// rawAnswer decides a raw server's answer to the n-th request stream of
// a connection (0-based): the frames to write, and whether to close the
// connection after them. nil answers every stream with the response.
type rawAnswer func(out []byte, n int, streamID uint32) ([]byte, bool)

func startFaultH2Server(t *testing.T, answer rawAnswer) *net.TCPAddr {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	serve := func(c net.Conn) {
		defer c.Close()
		preface := make([]byte, len(h2.ClientPreface))
		if _, err := io.ReadFull(c, preface); err != nil || string(preface) != h2.ClientPreface {
			return
		}
		if _, err := c.Write(h2.AppendSettings(nil)); err != nil {
			return
		}
		var r h2.Reader
		var f h2.Frame
		buf := make([]byte, 64<<10)
		var out []byte
		streams := 0
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			r.Feed(buf[:n])
			out = out[:0]
			for {
				ok, err := r.Next(&f)
				if err != nil {
					return
				}
				if !ok {
					break
				}
				switch {
				case f.Type == h2.FrameHeaders && answer != nil:
					var closeConn bool
					out, closeConn = answer(out, streams, f.StreamID)
					streams++
					if closeConn {
						// Close as nginx does (lingering): the client's
						// unread frames must not turn the close into a
						// reset that could discard the GOAWAY.
						_, _ = c.Write(out)
						if tc, ok := c.(*net.TCPConn); ok {
							_ = tc.CloseWrite()
						}
						_ = c.SetReadDeadline(time.Now().Add(time.Second))
						_, _ = io.Copy(io.Discard, c)
						return
					}
				case f.Type == h2.FrameHeaders:
					out = h2.AppendHeaders(out, f.StreamID, false, []byte{0x88}, h2.DefaultMaxFrameSize)
					out = h2.AppendData(out, f.StreamID, true, []byte("ok"))
				case f.Type == h2.FrameSettings && !f.Flags.Has(h2.FlagAck):
					out = h2.AppendSettingsAck(out)
				}
			}
			if len(out) > 0 {
				if _, err := c.Write(out); err != nil {
					return
				}
			}
		}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); serve(c) }()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().(*net.TCPAddr)
}

// TestHTTP2StaticPathAllocations: in the steady state an HTTP/2 stream
// costs no allocation (the static request's HPACK block is cached, the
// response's indexed :status decodes to the static table's strings).
func TestHTTP2StaticPathAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own")
	}
	addr := startRawH2Server(t)
	cfg := h2Config(addr, false, 10)
	cfg.Duration = 500 * time.Millisecond
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	s, err := Run(context.Background(), cfg, addr, nil)
	runtime.ReadMemStats(&m1)
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, s)
	if s.Requests < 1000 {
		t.Skipf("only %d requests: machine too slow to measure", s.Requests)
	}
	// As in TestStaticPathAllocations: the set-up's few hundred
	// allocations alone made 0.26 per request on a loaded machine (1,604
	// requests); a steady-state allocation costs one per request.
	const setUp = 500
	mallocs := m1.Mallocs - m0.Mallocs
	perReq := float64(max(mallocs, setUp)-setUp) / float64(s.Requests)
	t.Logf("%d requests, %d mallocs, %.4f per request beyond %d for the set-up", s.Requests, mallocs, perReq, setUp)
	if perReq > 0.05 {
		t.Errorf("%.3f allocations per request, want ~0", perReq)
	}
}

func rawOK(out []byte, id uint32) []byte {
	out = h2.AppendHeaders(out, id, false, []byte{0x88}, h2.DefaultMaxFrameSize)
	return h2.AppendData(out, id, true, []byte("ok"))
}

// TestHTTP2Faults: a server's GOAWAY and RST_STREAM are counted as the
// report documents, and the run goes on over new connections.
func TestHTTP2Faults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		answer rawAnswer
		until  func(p Progress) bool // the run ends then (or at a ceiling)
		check  func(t *testing.T, s *Summary)
	}{
		{
			// nginx's keepalive_requests: GOAWAY(NO_ERROR) after some
			// streams, the last one answered, then close.
			name: "graceful GOAWAY every 20 streams",
			answer: func(out []byte, n int, id uint32) ([]byte, bool) {
				if n == 19 {
					out = h2.AppendGoAway(out, id, h2.ErrCodeNo, nil)
					return rawOK(out, id), true
				}
				return rawOK(out, id), false
			},
			until: func(p Progress) bool { return p.Requests >= 40 },
			check: func(t *testing.T, s *Summary) {
				noErrors(t, s)
				if s.Errors.Conn != 0 || s.Errors.Stream != 0 || s.Requests < 40 {
					t.Errorf("%d requests, errors %+v", s.Requests, s.Errors)
				}
			},
		},
		{
			name: "GOAWAY with an error code",
			answer: func(out []byte, n int, id uint32) ([]byte, bool) {
				if n == 4 {
					return h2.AppendGoAway(out, id-2, h2.ErrCodeEnhanceYourCalm, []byte("calm")), true
				}
				return rawOK(out, id), false
			},
			until: func(p Progress) bool { return p.Requests >= 8 && p.Errors > 0 },
			check: func(t *testing.T, s *Summary) {
				if s.Errors.Conn == 0 || s.Errors.ConnCauses["GOAWAY ENHANCE_YOUR_CALM"] != s.Errors.Conn {
					t.Errorf("connection errors %d %v", s.Errors.Conn, s.Errors.ConnCauses)
				}
				if s.Requests < 8 {
					t.Errorf("%d requests", s.Requests)
				}
			},
		},
		{
			name: "every third stream reset",
			answer: func(out []byte, n int, id uint32) ([]byte, bool) {
				if n%3 == 2 {
					return h2.AppendRSTStream(out, id, h2.ErrCodeInternal), false
				}
				return rawOK(out, id), false
			},
			until: func(p Progress) bool { return p.Errors > 0 },
			check: func(t *testing.T, s *Summary) {
				if e := s.Errors; e.Connect+e.Read+e.Write+e.Timeout+e.Conn != 0 {
					t.Errorf("errors %+v", e)
				}
				// Each connection resets one stream in three: errors are
				// half the responses, give or take the streams in flight
				// when the run ended (2 connections × 4 streams).
				if s.Errors.Stream == 0 || s.Errors.StreamCauses["INTERNAL_ERROR"] != s.Errors.Stream ||
					s.Errors.Stream > s.Requests/2+8 || s.Errors.Stream+8 < s.Requests/2 {
					t.Errorf("%d requests, %d stream errors %v", s.Requests, s.Errors.Stream, s.Errors.StreamCauses)
				}
			},
		},
		{
			name: "refused streams are sent again, not counted",
			answer: func(out []byte, n int, id uint32) ([]byte, bool) {
				if n%2 == 1 {
					return h2.AppendRSTStream(out, id, h2.ErrCodeRefusedStream), false
				}
				return rawOK(out, id), false
			},
			until: func(p Progress) bool { return p.Requests >= 10 },
			check: func(t *testing.T, s *Summary) {
				noErrors(t, s)
				if s.Errors.Stream != 0 || s.Requests < 10 {
					t.Errorf("%d requests, errors %+v", s.Requests, s.Errors)
				}
			},
		},
		{
			name: "a frame larger than allowed",
			answer: func(out []byte, n int, id uint32) ([]byte, bool) {
				return append(h2.AppendFrameHeader(out, h2.DefaultMaxFrameSize+1, h2.FrameData, 0, id), make([]byte, h2.DefaultMaxFrameSize+1)...), false
			},
			until: func(p Progress) bool { return p.Errors > 0 },
			check: func(t *testing.T, s *Summary) {
				if s.Requests != 0 || s.Errors.Conn == 0 || s.Errors.ConnCauses["FRAME_SIZE_ERROR"] != s.Errors.Conn {
					t.Errorf("%d requests, errors %+v", s.Requests, s.Errors)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr := startFaultH2Server(t, tt.answer)
			cfg := h2Config(addr, false, 4)
			// Two threads: a single worker blocking in epoll could keep
			// the in-process server from running on a loaded machine.
			cfg.Threads, cfg.Connections = 2, 2
			cfg.Duration = 20 * time.Second // a ceiling
			tt.check(t, runUntil(t, cfg, addr, tt.until))
		})
	}
}

// TestHTTP2StartupCheck: a server that does not speak HTTP/2 fails the
// run at start with a message that says so.
func TestHTTP2StartupCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		h    handler
		want string
	}{
		{"HTTP/1.1 answer", func(s *testServer, c net.Conn) {
			_, _ = io.ReadFull(c, make([]byte, len(h2.ClientPreface)))
			_, _ = c.Write([]byte("HTTP/1.1 505 HTTP Version Not Supported\r\nConnection: close\r\n\r\n"))
		}, `does not speak HTTP/2 (h2c with prior knowledge): http2: the server does not speak HTTP/2: it answered "HTTP/1.1 505 HTTP Version Not Supported"`},
		{"silence", func(s *testServer, c net.Conn) { <-s.done }, "server sent no HTTP/2 SETTINGS"},
		{"PING first", func(s *testServer, c net.Conn) {
			_, _ = c.Write(h2.AppendPing(nil, false, [8]byte{}))
			<-s.done
		}, "its first frame is PING, not SETTINGS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, false, tt.h)
			defer srv.stop()
			cfg := h2Config(srv.addr, false, 1)
			// The check waits --timeout for the first frame: a second, so
			// that a loaded machine's late server is not taken for silence.
			cfg.Timeout = time.Second
			_, err := Run(context.Background(), cfg, srv.addr, nil)
			var ce *ConnectError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a ConnectError with %q", err, tt.want)
			}
		})
	}
}

// bodyScript sends one POST with a large body per request() call.
type bodyScript struct{ req []byte }

func (s *bodyScript) Caps() ScriptCaps                    { return ScriptCaps{Request: true} }
func (s *bodyScript) NewThread(int) (ThreadScript, error) { return s, nil }
func (s *bodyScript) StaticRequest() ([]byte, error)      { return nil, errors.New("unused") }
func (s *bodyScript) Request(dst []byte) ([]byte, error)  { return append(dst, s.req...), nil }
func (s *bodyScript) Response(*Response) error            { return nil }
func (s *bodyScript) Delay() (time.Duration, error)       { return 0, nil }
func (s *bodyScript) Stopped() bool                       { return false }

// TestHTTP2LargeBodies: 300 KB request bodies go out in full through the
// server's flow-control windows and the client's output chunks.
func TestHTTP2LargeBodies(t *testing.T) {
	t.Parallel()
	const size = 300_000
	srv := startH2Server(t, false, &http2.Server{}, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "ok") // startH2Server's handler read the body
	})
	cfg := h2Config(srv.addr, false, 2)
	body := strings.Repeat("x", size)
	cfg.Script = &bodyScript{req: []byte("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 300000\r\n\r\n" + body)}
	// Until a request completes (a ceiling): 400 ms saw the server read
	// five bodies but the client complete none under -race.
	cfg.Duration = 20 * time.Second
	s := runUntil(t, cfg, srv.addr, func(p Progress) bool { return p.Requests > 0 })
	noErrors(t, s)
	if s.Requests == 0 || uint64(srv.bodies.Load()) < s.Requests || srv.badBodies.Load() != 0 {
		t.Errorf("%d requests, %d full bodies at the server, %d short", s.Requests, srv.bodies.Load(), srv.badBodies.Load())
	}
}
