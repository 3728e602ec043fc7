//go:build linux

package runner

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// tlsConn is one TLS connection. Its record layer runs on the worker's
// event loop like a plain socket: the loop reads ciphertext into its one
// read buffer, lends it to crypto/tls through transport and parses the
// plaintext; crypto/tls writes ciphertext straight to the non-blocking
// socket, and only what the socket does not take at once waits in
// transport.out for EPOLLOUT.
//
// The handshake cannot be driven that way: crypto/tls cannot resume a
// handshake after a would-block. It runs on a short-lived goroutine per
// connection attempt, over a socket dialed through the Go runtime's own
// poller, so a waiting handshake costs a parked goroutine and no OS thread.
// A fixed pool would cap the handshakes in flight at its size, and the
// per-request hand-offs are the same either way. Once the handshake is
// done, the goroutine duplicates the socket for the worker's epoll, closes
// the runtime's descriptor and posts compConnected with the new one; from
// then on no goroutine but the worker's touches the connection.
type tlsConn struct {
	idx, gen int32
	tc       *tls.Conn
	tr       transport
	resumed  bool // set by the handshake goroutine before it posts
	fd       int  // the worker's descriptor, valid from compConnected

	conf    *tls.Config // the worker's configuration when the attempt started
	version uint16      // the negotiated version, set with resumed

	ctx    context.Context // cancelled by close: interrupts a dial or handshake
	cancel context.CancelFunc

	mu     sync.Mutex
	nc     net.Conn // the runtime's socket during the handshake; guarded by mu
	closed bool     // guarded by mu
}

// errWouldBlock is transport's "no data yet". crypto/tls keeps a
// connection usable after a read error that is a temporary net.Error, and
// keeps the part of a record it already has.
var errWouldBlock = wouldBlockError{}

type wouldBlockError struct{}

func (wouldBlockError) Error() string   { return "tls transport: would block" }
func (wouldBlockError) Timeout() bool   { return true }
func (wouldBlockError) Temporary() bool { return true }

// transport is the net.Conn under crypto/tls. During the handshake it
// passes through to the dialed socket (hs); after it, reads come from in,
// the slice of the worker's read buffer the loop just filled, and writes go
// to fd, the rest to out when the socket is full. Writes never fail with a
// would-block: crypto/tls makes every write error permanent.
type transport struct {
	hs  net.Conn
	fd  int
	in  []byte
	eof bool   // the peer closed; reads after in is empty return io.EOF
	out []byte // ciphertext the socket has not taken yet
	off int    // how much of out the loop has written
}

func (t *transport) Read(b []byte) (int, error) {
	if t.hs != nil {
		return t.hs.Read(b)
	}
	if len(t.in) == 0 {
		if t.eof {
			return 0, io.EOF
		}
		return 0, errWouldBlock
	}
	n := copy(b, t.in)
	t.in = t.in[n:]
	return n, nil
}

func (t *transport) Write(b []byte) (int, error) {
	if t.hs != nil {
		return t.hs.Write(b)
	}
	n := len(b)
	// Once something waits in out, order requires appending behind it.
	for len(t.out) == 0 && len(b) > 0 {
		m, errno := rawWrite(t.fd, b)
		switch errno {
		case 0:
			b = b[m:]
			continue
		case unix.EINTR:
			continue
		case unix.EAGAIN:
		default:
			return 0, fmt.Errorf("tls write: %w", errno)
		}
		break
	}
	t.out = append(t.out, b...)
	return n, nil
}

func (t *transport) Close() error                     { return nil }
func (t *transport) LocalAddr() net.Addr              { return nil }
func (t *transport) RemoteAddr() net.Addr             { return nil }
func (t *transport) SetDeadline(time.Time) error      { return nil }
func (t *transport) SetReadDeadline(time.Time) error  { return nil }
func (t *transport) SetWriteDeadline(time.Time) error { return nil }

// startTLS dials and handshakes on a goroutine; the worker hears of the
// result through a completion.
func startTLS(w *worker, c *conn) *tlsConn {
	tc := &tlsConn{idx: c.idx, gen: c.gen, fd: -1, conf: w.tlsConf}
	tc.tr.fd = -1
	tc.ctx, tc.cancel = context.WithCancel(context.Background())
	w.tlsWG.Add(1)
	go tc.handshake(w)
	return tc
}

func (tc *tlsConn) post(w *worker, kind completionKind, err error) {
	w.post(completion{idx: tc.idx, gen: tc.gen, kind: kind, tc: tc, err: err})
}

// setConn records the socket so close can interrupt it; it reports false
// if the connection was closed meanwhile.
func (tc *tlsConn) setConn(nc net.Conn) bool {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.closed {
		return false
	}
	tc.nc = nc
	return true
}

func (tc *tlsConn) handshake(w *worker) {
	defer w.tlsWG.Done()
	// No deadlines of its own: the worker's tick replaces a connection
	// whose connect or handshake outlives --timeout, and closing it
	// (tlsConn.close) cancels the dial or closes the socket under the
	// handshake. A timer per dial and per handshake (and crypto/tls's
	// watcher goroutine for a handshake context) cost ~10 % of a
	// reconnect's CPU in the profile.
	// No TCP keep-alive probes (wrk sets none): four setsockopt calls per
	// connection saved. The runtime already sets TCP_NODELAY.
	d := net.Dialer{KeepAlive: -1}
	raw, err := d.DialContext(tc.ctx, "tcp", w.tlsAddr)
	if err != nil {
		if tc.ctx.Err() == nil {
			tc.post(w, compConnectErr, err)
		}
		return
	}
	if !tc.setConn(raw) {
		raw.Close()
		return
	}
	tc.tr.hs = raw
	tc.tc = tls.Client(&tc.tr, tc.conf)
	err = tc.tc.Handshake()
	if err == nil {
		err = tc.detach(raw)
	}
	if err != nil {
		raw.Close() // a second Close after detach's is harmless
		if tc.ctx.Err() == nil {
			tc.post(w, compConnectErr, err)
		}
		return
	}
	tc.post(w, compConnected, nil)
}

// detach moves the handshaken socket from the runtime's poller to a
// descriptor of the worker's: a duplicate shares the open file (and its
// O_NONBLOCK), and closing the original removes it from the runtime's epoll.
func (tc *tlsConn) detach(raw net.Conn) error {
	tcp, ok := raw.(*net.TCPConn)
	if !ok {
		return errors.New("tls: dialed connection is not TCP")
	}
	sc, err := tcp.SyscallConn()
	if err != nil {
		return fmt.Errorf("tls: %w", err)
	}
	fd := -1
	var dupErr error
	if err := sc.Control(func(s uintptr) {
		fd, dupErr = unix.FcntlInt(s, unix.F_DUPFD_CLOEXEC, 0)
	}); err != nil {
		return fmt.Errorf("tls: %w", err)
	}
	if dupErr != nil {
		return fmt.Errorf("tls: dup: %w", dupErr)
	}
	tc.mu.Lock()
	closed := tc.closed
	tc.nc = nil
	tc.mu.Unlock()
	raw.Close()
	if closed {
		unix.Close(fd)
		return context.Canceled
	}
	cs := tc.tc.ConnectionState()
	tc.resumed, tc.version = cs.DidResume, cs.Version
	tc.tr.hs = nil
	tc.tr.fd = fd
	tc.fd = fd
	return nil
}

// close interrupts a handshake in progress; called by the worker only. The
// worker closes tc.fd itself.
func (tc *tlsConn) close() {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.closed {
		return
	}
	tc.closed = true
	tc.cancel()
	if tc.nc != nil {
		tc.nc.Close()
	}
}

// newTLSConfig is one worker's client configuration: its own session cache
// (reconnects resume; threads share nothing) and the key exchange wrk's
// OpenSSL offers.
func newTLSConfig(cfg *Config, target Target, conns int) *tls.Config {
	c := &tls.Config{
		ServerName:         target.Host, // SNI; crypto/tls leaves it out for IP literals, as OpenSSL does
		InsecureSkipVerify: !cfg.Verify, //nolint:gosec // wrk never verifies benchmark targets; --verify opts in
		MinVersion:         tls.VersionTLS12,
		// HTTP/1.1, or with --http2 "h2" (h2conn_linux.go checks
		// what the server selected).
		NextProtos: alpn(cfg.HTTP2),
		// Go's default also sends an X25519MLKEM768 share, which OpenSSL
		// 3.0 (wrk's) does not: a server that supports it would pick it
		// and both sides would spend more CPU than against wrk.
		CurvePreferences: []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384},
	}
	if cfg.TLSHybridKEX {
		c.CurvePreferences = append([]tls.CurveID{tls.X25519MLKEM768}, c.CurvePreferences...)
	}
	if cfg.TLSNoResume {
		c.SessionTicketsDisabled = true
	} else {
		c.ClientSessionCache = tls.NewLRUClientSessionCache(max(conns, 1))
	}
	return c
}

// tlsConfigs are a worker's client configurations. A ClientHello that
// offers TLS 1.3 carries a key share, and making it (an X25519 key pair)
// is the largest single cost of a resumed TLS 1.2 handshake, spent for
// nothing when the server answers with 1.2. Once a server has answered
// with 1.2, the worker offers only 1.2 (tls12), with the same session
// cache; if a handshake fails that way (a server that changed, a balancer
// with mixed backends), it goes back to offering both (full).
type tlsConfigs struct {
	full, tls12 *tls.Config
}

func newTLSConfigs(cfg *Config, target Target, conns int) tlsConfigs {
	full := newTLSConfig(cfg, target, conns)
	tls12 := full.Clone() // shares the session cache
	tls12.MaxVersion = tls.VersionTLS12
	return tlsConfigs{full: full, tls12: tls12}
}

// afterHandshake picks the configuration for the next attempts.
func (w *worker) afterHandshake(tc *tlsConn, err error) {
	switch {
	case err == nil && tc.version == tls.VersionTLS12 && tc.conf == w.tlsConfs.full:
		w.tlsConf = w.tlsConfs.tls12
	case err != nil && tc.conf == w.tlsConfs.tls12:
		w.tlsConf = w.tlsConfs.full
	}
}
