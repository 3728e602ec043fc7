package h2fault

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/http2"
)

// Reference is a well-behaved server: net/http's handler behind
// http2.Server (h2c with prior knowledge, or TLS with ALPN), counting the
// requests it answered by protocol.
type Reference struct {
	URL string
	// H2 and H1 count requests by r.ProtoMajor, each before it is
	// answered.
	H2, H1 atomic.Int64
	// MaxConcurrent is the most handlers that ran at once.
	MaxConcurrent atomic.Int64
	inFlight      atomic.Int64

	mu   sync.Mutex
	last *http.Request
}

// ReferenceOptions configure [StartReference].
type ReferenceOptions struct {
	// TLS serves https with ALPN; NextProtos is then the server's list
	// (default "h2", "http/1.1"). Without TLS the server speaks h2c with
	// prior knowledge only.
	TLS        bool
	NextProtos []string
	// MaxConcurrentStreams is http2.Server's limit (0: its default, 250).
	MaxConcurrentStreams uint32
	// Handler, if set, answers instead of the default "ok".
	Handler http.HandlerFunc
}

// LastRequest returns the most recent request the reference answered.
func (r *Reference) LastRequest() *http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

// StartReference starts a reference server; t.Cleanup closes it.
func StartReference(t testing.TB, o ReferenceOptions) *Reference {
	t.Helper()
	ref := &Reference{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := ref.inFlight.Add(1)
		defer ref.inFlight.Add(-1)
		for {
			m := ref.MaxConcurrent.Load()
			if n <= m || ref.MaxConcurrent.CompareAndSwap(m, n) {
				break
			}
		}
		_, _ = io.Copy(io.Discard, r.Body)
		ref.mu.Lock()
		ref.last = r
		ref.mu.Unlock()
		// Counted before the answer: a client that has it must see it
		// counted.
		if r.ProtoMajor == 2 {
			ref.H2.Add(1)
		} else {
			ref.H1.Add(1)
		}
		if o.Handler != nil {
			o.Handler(w, r)
		} else {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Add("Set-Cookie", "a=1")
			_, _ = w.Write([]byte("ok"))
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("h2fault: listen: %v", err)
	}
	h2 := &http2.Server{MaxConcurrentStreams: o.MaxConcurrentStreams, IdleTimeout: connLifetime}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	if o.TLS {
		cert, err := SelfSigned()
		if err != nil {
			t.Fatalf("h2fault: %v", err)
		}
		protos := o.NextProtos
		if protos == nil {
			protos = []string{"h2", "http/1.1"}
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: protos, MinVersion: tls.VersionTLS12}
		if err := http2.ConfigureServer(srv, h2); err != nil {
			t.Fatalf("h2fault: %v", err)
		}
		// ConfigureServer puts h2 first; keep the caller's list exactly
		// (a list without h2 is an HTTP/1.1-only TLS server).
		srv.TLSConfig.NextProtos = protos
		ref.URL = "https://" + ln.Addr().String() + "/"
		go func() { _ = srv.Serve(tls.NewListener(ln, srv.TLSConfig)) }()
		t.Cleanup(func() { _ = srv.Close() })
		return ref
	}
	// h2c with prior knowledge: every connection is handed to
	// http2.Server.ServeConn directly.
	ref.URL = "http://" + ln.Addr().String() + "/"
	var wg sync.WaitGroup
	var mu sync.Mutex
	conns := map[net.Conn]struct{}{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[c] = struct{}{}
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = c.SetDeadline(time.Now().Add(connLifetime))
				h2.ServeConn(c, &http2.ServeConnOpts{Handler: h, BaseConfig: srv})
				_ = c.Close()
				mu.Lock()
				delete(conns, c)
				mu.Unlock()
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ref
}

// HTTP1 is an HTTP/1.1-only server on cleartext TCP: it answers HTTP/1.1
// requests, and the HTTP/2 preface ("PRI * HTTP/2.0") with 505 and a close,
// as an HTTP/1.1 server that does not know HTTP/2 does.
type HTTP1 struct {
	URL      string
	Requests atomic.Int64 // HTTP/1.1 requests answered
	Prefaces atomic.Int64 // HTTP/2 prefaces refused
}

// StartHTTP1 starts an HTTP/1.1-only cleartext server; t.Cleanup closes it.
func StartHTTP1(t testing.TB) *HTTP1 {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("h2fault: listen: %v", err)
	}
	s := &HTTP1{URL: "http://" + ln.Addr().String() + "/"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	conns := map[net.Conn]struct{}{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[c] = struct{}{}
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					_ = c.Close()
					mu.Lock()
					delete(conns, c)
					mu.Unlock()
				}()
				_ = c.SetDeadline(time.Now().Add(connLifetime))
				s.serve(c)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return s
}

// serve reads request heads line by line (requests without bodies).
func (s *HTTP1) serve(c net.Conn) {
	r := bufio.NewReader(c)
	first := true
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return
		}
		if first && string(line) == "PRI * HTTP/2.0\r\n" {
			s.Prefaces.Add(1)
			_, _ = c.Write([]byte("HTTP/1.1 505 HTTP Version Not Supported\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"))
			return
		}
		first = false
		if len(line) == 2 {
			s.Requests.Add(1)
			if _, err := c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")); err != nil {
				return
			}
			first = true
		}
	}
}

// SelfSigned returns a throw-away ECDSA certificate for 127.0.0.1, valid
// for a day.
func SelfSigned() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("generating a key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("creating a certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// WritePEM writes a throw-away certificate for 127.0.0.1 and its key as
// PEM files in dir (for servers configured by file, such as nginx) and
// returns their paths.
func WritePEM(dir string) (certFile, keyFile string, err error) {
	cert, err := SelfSigned()
	if err != nil {
		return "", "", err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		return "", "", fmt.Errorf("encoding the key: %w", err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600); err != nil {
		return "", "", fmt.Errorf("writing the certificate: %w", err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return "", "", fmt.Errorf("writing the key: %w", err)
	}
	return certFile, keyFile, nil
}
