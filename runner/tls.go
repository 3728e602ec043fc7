//go:build linux

package runner

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// tlsConn runs one TLS connection's blocking crypto/tls I/O on two
// goroutines and reports to the owning worker through completions:
//
//   - the reader dials, handshakes, posts compConnected, then loops reading
//     into one of its two buffers and posting compData; the worker parses
//     the bytes in place, on its own thread, with its own parser and stats,
//     then hands the buffer back. With two buffers the reader is already
//     parked in the next Read when the worker releases the first, so the
//     release wakes nobody;
//   - the writer writes each batch the worker hands it.
//
// The worker never blocks on it: a batch is handed over through a channel
// with room for one, and there is only one batch in flight per connection.
// close unblocks both goroutines by closing the socket.
type tlsConn struct {
	idx, gen int32
	writeCh  chan []byte
	free     chan []byte // read buffers not lent to the worker
	done     chan struct{}
	ctx      context.Context // cancelled by close: interrupts a dial or handshake
	cancel   context.CancelFunc

	mu     sync.Mutex
	nc     net.Conn // set once dialed; guarded by mu
	closed bool     // guarded by mu
}

func startTLS(w *worker, c *conn) *tlsConn {
	tc := &tlsConn{
		idx: c.idx, gen: c.gen,
		writeCh: make(chan []byte, 1),
		free:    make(chan []byte, 2),
		done:    make(chan struct{}),
	}
	tc.free <- make([]byte, 16<<10)
	tc.free <- make([]byte, 16<<10)
	tc.ctx, tc.cancel = context.WithCancel(context.Background())
	w.tlsWG.Add(2)
	go tc.read(w)
	go tc.write(w)
	return tc
}

func (tc *tlsConn) post(w *worker, kind completionKind, data []byte, err error) {
	w.post(completion{idx: tc.idx, gen: tc.gen, kind: kind, data: data, tc: tc, err: err})
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

func (tc *tlsConn) read(w *worker) {
	defer w.tlsWG.Done()
	timeout := w.cfg.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	d := net.Dialer{Timeout: timeout}
	raw, err := d.DialContext(tc.ctx, "tcp", w.tlsAddr)
	if err != nil {
		if tc.ctx.Err() == nil {
			tc.post(w, compConnectErr, nil, err)
		}
		return
	}
	if !tc.setConn(raw) {
		raw.Close()
		return
	}
	conn := tls.Client(raw, w.tlsConf)
	ctx, cancel := context.WithTimeout(tc.ctx, timeout)
	err = conn.HandshakeContext(ctx)
	cancel()
	if err != nil {
		if tc.ctx.Err() == nil {
			tc.post(w, compConnectErr, nil, err)
		}
		raw.Close()
		return
	}
	if !tc.setConn(conn) {
		return
	}
	tc.post(w, compConnected, nil, nil)
	for {
		var buf []byte
		select {
		case buf = <-tc.free:
		case <-tc.done:
			return
		}
		n, err := conn.Read(buf)
		if n > 0 {
			tc.post(w, compData, buf[:n], nil)
		} else {
			tc.free <- buf
		}
		if err != nil {
			select {
			case <-tc.done:
				return
			default:
			}
			if errors.Is(err, io.EOF) {
				tc.post(w, compEOF, nil, nil)
			} else {
				tc.post(w, compReadErr, nil, err)
			}
			return
		}
	}
}

func (tc *tlsConn) write(w *worker) {
	defer w.tlsWG.Done()
	for {
		select {
		case b := <-tc.writeCh:
			tc.mu.Lock()
			nc := tc.nc
			tc.mu.Unlock()
			if nc == nil {
				return
			}
			if _, err := nc.Write(b); err != nil {
				select {
				case <-tc.done:
				default:
					tc.post(w, compWriteErr, nil, err)
				}
				return
			}
		case <-tc.done:
			return
		}
	}
}

// send hands a batch to the writer; called by the worker only.
func (tc *tlsConn) send(b []byte) {
	select {
	case tc.writeCh <- b:
	default:
		// Unreachable with one batch in flight per connection.
	}
}

// release returns a read buffer to the reader; called by the worker. The
// channel has room for both buffers, so this never blocks.
func (tc *tlsConn) release(buf []byte) {
	select {
	case tc.free <- buf[:cap(buf)]:
	default:
	}
}

// close stops both goroutines; called by the worker only.
func (tc *tlsConn) close() {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.closed {
		return
	}
	tc.closed = true
	tc.cancel()
	close(tc.done)
	if tc.nc != nil {
		tc.nc.Close()
	}
}
