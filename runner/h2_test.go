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
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/http2"
)

// h2Server is a golang.org/x/net/http2 server on 127.0.0.1: h2c with
// prior knowledge, or TLS with ALPN "h2". It counts what it served.
type h2Server struct {
	addr      *net.TCPAddr
	requests  atomic.Int64
	notH2     atomic.Int64 // requests that did not come over HTTP/2
	badBodies atomic.Int64
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
			b, err := io.ReadAll(r.Body)
			if err != nil || int64(len(b)) != r.ContentLength {
				s.badBodies.Add(1)
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
	cfg.Duration = 300 * time.Millisecond
	return cfg
}

func TestHTTP2AgainstXNet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tls     bool
		streams int
		server  http2.Server
	}{
		{"h2c one stream", false, 1, http2.Server{}},
		{"h2c ten streams", false, 10, http2.Server{}},
		{"h2c server allows one stream", false, 10, http2.Server{MaxConcurrentStreams: 1}},
		{"tls ten streams", true, 10, http2.Server{}},
		{"h2c small frames and table", false, 4, http2.Server{MaxReadFrameSize: 16384, MaxDecoderHeaderTableSize: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startH2Server(t, tt.tls, &tt.server, nil)
			cfg := h2Config(srv.addr, tt.tls, tt.streams)
			s, err := Run(context.Background(), cfg, srv.addr, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d requests", s.Requests)
			noErrors(t, s)
			if s.Errors.Stream != 0 || s.Errors.Conn != 0 {
				t.Errorf("HTTP/2 errors: %+v", s.Errors)
			}
			if s.Requests < 50 {
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
			s, err := Run(context.Background(), cfg, srv.addr, nil)
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
	s, err := Run(context.Background(), cfg, srv.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
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

// TestHTTP2Rate: with -R every stream is scheduled.
func TestHTTP2Rate(t *testing.T) {
	t.Parallel()
	srv := startH2Server(t, false, &http2.Server{}, nil)
	cfg := h2Config(srv.addr, false, 10)
	cfg.Rate = 400
	cfg.Duration = 500 * time.Millisecond
	s, err := Run(context.Background(), cfg, srv.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, s)
	// 200 scheduled; the loaded machine may lag, never run ahead.
	if s.Requests > 220 || s.Requests < 50 {
		t.Errorf("%d requests at -R 400 for 0.5 s", s.Requests)
	}
}
