//go:build linux

package runner

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testServer is a raw TCP (optionally TLS) server on 127.0.0.1 whose
// handler misbehaves on purpose. It counts the requests it reads.
type testServer struct {
	ln       net.Listener
	addr     *net.TCPAddr
	requests atomic.Int64
	accepted atomic.Int64
	written  atomic.Int64 // bytes, for handlers that count them
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	done     chan struct{}
}

// handler serves one accepted connection; it returns when it is done with
// it (the server closes it) or when srv.done is closed.
type handler func(srv *testServer, c net.Conn)

func startServer(t testing.TB, useTLS bool, h handler) *testServer {
	t.Helper()
	var conf *tls.Config
	if useTLS {
		conf = &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}}
	}
	return startServerTLS(t, conf, h)
}

// startServerTLS starts a server that speaks TLS with conf, or plain TCP
// when conf is nil.
func startServerTLS(t testing.TB, conf *tls.Config, h handler) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	srv := &testServer{ln: ln, addr: ln.Addr().(*net.TCPAddr), conns: map[net.Conn]struct{}{}, done: make(chan struct{})}
	if conf != nil {
		srv.ln = tls.NewListener(ln, conf)
	}
	srv.wg.Add(1)
	go func() {
		defer srv.wg.Done()
		for {
			c, err := srv.ln.Accept()
			if err != nil {
				return
			}
			srv.accepted.Add(1)
			srv.mu.Lock()
			srv.conns[c] = struct{}{}
			srv.mu.Unlock()
			srv.wg.Add(1)
			go func() {
				defer srv.wg.Done()
				h(srv, c)
				c.Close()
				srv.mu.Lock()
				delete(srv.conns, c)
				srv.mu.Unlock()
			}()
		}
	}()
	t.Cleanup(srv.stop)
	return srv
}

// stop closes the listener and every connection and waits for handlers.
func (s *testServer) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	close(s.done)
	s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// readRequest reads one request head (the runner's requests have no body).
// Lines longer than the reader's buffer are skipped through.
func (s *testServer) readRequest(r *bufio.Reader) bool {
	long := false
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = true
			continue
		}
		if err != nil {
			return false
		}
		if !long && len(line) <= 2 && strings.TrimSpace(string(line)) == "" {
			s.requests.Add(1)
			return true
		}
		long = false
	}
}

// respond answers every request with resp.
func respond(resp string) handler {
	b := []byte(resp)
	return func(s *testServer, c net.Conn) {
		r := bufio.NewReader(c)
		for s.readRequest(r) {
			if _, err := c.Write(b); err != nil {
				return
			}
		}
	}
}

// respondPaced is respond with a pause before each response: the run
// still completes requests on every connection, without spending two
// cores for its whole duration, for tests that check what a run reports
// rather than its speed.
func respondPaced(resp string, pause time.Duration) handler {
	b := []byte(resp)
	return func(s *testServer, c net.Conn) {
		r := bufio.NewReader(c)
		for s.readRequest(r) {
			select {
			case <-time.After(pause):
			case <-s.done:
				return
			}
			if _, err := c.Write(b); err != nil {
				return
			}
		}
	}
}

var selfSignedOnce struct {
	sync.Once
	cert tls.Certificate
}

func selfSigned(t testing.TB) tls.Certificate {
	selfSignedOnce.Do(func() {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1),
			Subject:      pkix.Name{CommonName: "127.0.0.1"},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(time.Hour),
			IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			panic(err)
		}
		selfSignedOnce.cert = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	})
	return selfSignedOnce.cert
}

// openFDs counts this process's open file descriptors.
func openFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("reading /proc/self/fd: %v", err)
	}
	return len(ents)
}

func okResponse(body string) string {
	return "HTTP/1.1 200 OK\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

// runUntil runs cfg against addr until done reports true on a progress
// snapshot (every 10 ms) or cfg.Duration, a generous ceiling, ends. A
// test that needs some events to have happened waits for them instead of
// hoping a fixed duration is long enough on a loaded machine. The
// snapshot's counts are the workers' as of their last tick (every
// sampleInterval), so the summary has at least as many.
func runUntil(t *testing.T, cfg Config, addr *net.TCPAddr, done func(Progress) bool) *Summary {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg.progressEvery = 10 * time.Millisecond
	cfg.Progress = func(p Progress) {
		if done(p) {
			cancel()
		}
	}
	s, err := Run(ctx, cfg, addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
