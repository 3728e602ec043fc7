//go:build linux

package runner

import (
	"bytes"
	"errors"
	"io"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wrklint/wrklint/runner/httpparse"
)

type connState uint8

const (
	stClosed     connState = iota
	stBackoff              // socket() or connect() failed at once; retried on the next tick
	stConnecting           // waiting for the TCP connect (or TLS handshake)
	stWriting              // part of the batch is written, waiting for writability
	stReading              // batch written, waiting for responses
	stDelayed              // waiting on a script delay timer
	stScheduled            // -R: waiting for the batch's send time
)

// conn is one connection slot. A slot lives for the whole run; its socket
// is replaced on errors and after non-keep-alive responses, and gen is
// bumped each time so that stale events and completions are ignored.
// Owned by its worker's goroutine.
type conn struct {
	w     *worker
	idx   int32
	gen   int32
	fd    int      // the socket in the worker's epoll, -1 when none (TLS: from the handshake's end)
	tls   *tlsConn // TLS state, nil for plain TCP
	state connState

	parser    httpparse.Parser
	req       []byte    // current batch
	reqBuf    []byte    // backing store for dynamic batches
	written   int       // bytes of req written
	pending   int       // responses still expected for the batch
	start     time.Time // latency origin: the send time, or with -R the intended one
	sentAt    time.Time // when the batch was actually sent (timeouts, -U)
	connStart time.Time
	outArmed  bool // EPOLLOUT is registered
	inflight  bool // a batch is sent or being sent and not all answered (worker.inflight)
	delayDone bool // the script delay for the next batch has elapsed
	resp      *respCollector
	sched     schedule  // -R only
	h2        *h2client // --http2 only (h2conn_linux.go)
}

// connect opens a new socket for the slot.
func (c *conn) connect(now time.Time) {
	c.connStart = now
	c.parser.Reset()
	c.pending = 0
	c.written = 0
	c.delayDone = false
	if c.resp != nil {
		c.resp.reset()
	}
	w := c.w
	if w.tlsConf != nil {
		c.state = stConnecting
		c.tls = startTLS(w, c)
		w.handshakes++
		return
	}
	fd, err := unix.Socket(w.family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_TCP)
	if err != nil {
		w.errs.ConnectError(cause(err))
		c.state = stBackoff
		return
	}
	_ = unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	err = unix.Connect(fd, w.addr)
	if err != nil && err != unix.EINPROGRESS && err != unix.EINTR {
		unix.Close(fd)
		w.errs.ConnectError(cause(err))
		c.state = stBackoff
		return
	}
	if err := w.poll.ctl(unix.EPOLL_CTL_ADD, fd, unix.EPOLLIN|unix.EPOLLOUT, c.idx, c.gen); err != nil {
		unix.Close(fd)
		w.errs.ConnectError(cause(err))
		c.state = stBackoff
		return
	}
	c.fd = fd
	c.outArmed = true
	c.state = stConnecting
}

// close releases the socket and invalidates pending events.
func (c *conn) close() {
	if c.tls != nil && c.fd < 0 {
		c.w.handshakes-- // not handed over yet: its completion will be stale
	}
	if c.fd >= 0 {
		unix.Close(c.fd) // also removes it from the epoll set
		c.fd = -1
	}
	if c.tls != nil {
		c.tls.close() // interrupts a handshake; the socket, if any, was c.fd
		c.tls = nil
	}
	c.gen++
	c.setInflight(false)
	c.state = stClosed
	c.outArmed = false
	if c.h2 != nil {
		c.h2.on = false
	}
}

func (c *conn) reconnect() {
	c.close()
	c.connect(time.Now())
}

func (c *conn) onEvent(ev uint32) {
	if c.state == stConnecting && c.tls == nil {
		if ev&(unix.EPOLLOUT|unix.EPOLLERR|unix.EPOLLHUP) == 0 {
			return
		}
		soerr, err := unix.GetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_ERROR)
		if err != nil || soerr != 0 {
			if err == nil {
				err = unix.Errno(soerr)
			}
			c.w.errs.ConnectError(cause(err))
			c.reconnect()
			return
		}
		c.onConnected()
		return
	}
	if ev&(unix.EPOLLIN|unix.EPOLLERR|unix.EPOLLHUP) != 0 {
		gen := c.gen
		if c.tls != nil {
			c.readTLS()
		} else {
			c.readPlain()
		}
		if c.gen != gen {
			return
		}
	}
	if ev&unix.EPOLLOUT != 0 && c.state == stWriting {
		c.write()
	}
}

// onConnected starts the first batch on a fresh connection.
func (c *conn) onConnected() {
	if c.tls != nil {
		// The handshake goroutine handed over its socket: from here on it
		// is the worker's, like a plain one.
		w := c.w
		if c.tls.resumed {
			w.tlsResumed++
		} else {
			w.tlsFull++
		}
		c.fd = c.tls.fd
		if err := w.poll.ctl(unix.EPOLL_CTL_ADD, c.fd, unix.EPOLLIN, c.idx, c.gen); err != nil {
			w.errs.ConnectError(cause(err))
			c.reconnect()
			return
		}
	}
	if c.tls == nil && c.outArmed {
		if err := c.w.poll.ctl(unix.EPOLL_CTL_MOD, c.fd, unix.EPOLLIN, c.idx, c.gen); err != nil {
			c.w.errs.ConnectError(cause(err))
			c.reconnect()
			return
		}
		c.outArmed = false
	}
	if c.h2 != nil && c.h2Begin() {
		return
	}
	c.startBatch()
}

// startBatch writes the next request batch, after the script's delay if it
// has one. Latency is measured from here, so connect and delay time are
// excluded as in wrk; with -R it is measured from the batch's intended send
// time instead (wrk2), so a stalled server cannot hide its stall.
func (c *conn) startBatch() {
	w := c.w
	// Once the script stopped the thread or a hook failed, nothing more is
	// sent: wrk's loop ends before the next writable event.
	if w.stopped || w.err != nil {
		return
	}
	var intended time.Time
	if w.rate {
		now := time.Now()
		due, wait := c.sched.next(now)
		if wait {
			c.state = stScheduled
			w.timers.push(timerItem{when: due, idx: c.idx, gen: c.gen})
			return
		}
		intended = c.sched.intended()
	}
	if w.caps.Delay && !c.delayDone {
		d, err := w.script.Delay()
		w.checkScriptStop()
		if err != nil {
			w.failScript(err)
			return
		}
		if d > 0 {
			c.state = stDelayed
			w.timers.push(timerItem{when: time.Now().Add(d), idx: c.idx, gen: c.gen})
			return
		}
	}
	c.delayDone = false
	if w.caps.Request {
		b, err := w.script.Request(c.reqBuf[:0])
		w.checkScriptStop()
		if err != nil {
			w.failScript(err)
			return
		}
		c.reqBuf = b
		c.req = b
		c.parser.Head = bytes.HasPrefix(b, []byte("HEAD "))
	} else {
		c.req = w.request
	}
	c.written = 0
	c.pending = w.depth
	c.setInflight(true)
	c.sentAt = time.Now()
	c.start = c.sentAt
	if w.rate {
		c.start = intended
		c.sched.sent(w.depth)
		lag := c.sentAt.Sub(intended).Microseconds()
		w.lag.Record(lag)
		w.series.Lag(c.sentAt, lag)
	}
	if w.caps.Request {
		w.paths.AddRequest(c.req, uint64(w.depth))
	} else {
		w.staticSends++ // one path: counted once, after the run
	}
	c.write()
}

// write continues the current batch; on EAGAIN it arms EPOLLOUT and
// returns, and the loop calls it again when the socket is writable.
func (c *conn) write() {
	if c.h2On() {
		c.h2Flush()
		return
	}
	if c.tls != nil {
		if !c.writeTLS() {
			return
		}
	} else {
		for c.written < len(c.req) {
			n, errno := rawWrite(c.fd, c.req[c.written:])
			if !c.wrote(n, errno) {
				return
			}
		}
	}
	w := c.w
	if c.outArmed {
		if err := w.poll.ctl(unix.EPOLL_CTL_MOD, c.fd, unix.EPOLLIN, c.idx, c.gen); err != nil {
			w.errs.Write++
			c.reconnect()
			return
		}
		c.outArmed = false
	}
	c.state = stReading
	if c.pending <= 0 {
		// Every response arrived before the request was fully written.
		c.startBatch()
	}
}

// tlsChunk is how much of a batch is encrypted at a time: a huge request
// waits as plaintext, not as a second, encrypted copy, and one connection
// cannot hold the loop for long.
const tlsChunk = 64 << 10

// writeTLS flushes the ciphertext waiting in tr.out, encrypting the batch
// (c.written counts its plaintext bytes handed to crypto/tls) a chunk at a
// time as the socket takes it. It reports whether the batch is written.
func (c *conn) writeTLS() bool {
	tr := &c.tls.tr
	for {
		for tr.off < len(tr.out) {
			n, errno := rawWrite(c.fd, tr.out[tr.off:])
			if errno == 0 {
				tr.off += n
			} else if !c.wrote(n, errno) {
				return false
			}
		}
		tr.out, tr.off = tr.out[:0], 0
		if c.written >= len(c.req) {
			return true
		}
		n := min(len(c.req)-c.written, tlsChunk)
		// Writes straight to the socket; the rest lands in tr.out.
		if _, err := c.tls.tc.Write(c.req[c.written : c.written+n]); err != nil {
			c.w.errs.Write++
			c.reconnect()
			return false
		}
		c.written += n
	}
}

// wrote accounts one write(2): it reports false when the caller must stop,
// because the socket is full (EPOLLOUT is armed, the state is stWriting)
// or the connection was replaced after an error.
func (c *conn) wrote(n int, errno unix.Errno) bool {
	w := c.w
	switch errno {
	case 0:
		c.written += n
		return true
	case unix.EINTR:
		return true
	case unix.EAGAIN:
		c.state = stWriting
		if !c.outArmed {
			if err := w.poll.ctl(unix.EPOLL_CTL_MOD, c.fd, unix.EPOLLIN|unix.EPOLLOUT, c.idx, c.gen); err != nil {
				w.errs.Write++
				c.reconnect()
				return false
			}
			c.outArmed = true
		}
		return false
	default:
		w.errs.Write++
		c.reconnect()
		return false
	}
}

// readPlain drains the socket into the worker's buffer. A short read means
// the socket is empty (level-triggered epoll reports the rest later), so
// the usual cost is one read per response.
func (c *conn) readPlain() {
	w := c.w
	for i := 0; i < maxReadsPerEvent; i++ {
		n, errno := rawRead(c.fd, w.buf)
		switch errno {
		case 0:
		case unix.EAGAIN:
			c.afterRead()
			return
		case unix.EINTR:
			continue
		default:
			w.errs.ReadError(cause(errno))
			c.reconnect()
			return
		}
		if n == 0 {
			c.onEOF()
			return
		}
		if !c.onData(w.buf[:n]) {
			return
		}
		if n < len(w.buf) {
			break
		}
	}
	c.afterRead()
}

// readTLS is readPlain for a TLS connection: the ciphertext read into the
// worker's buffer is lent to crypto/tls (transport.in), which decrypts into
// w.plain until it reports would-block, having taken all of it.
func (c *conn) readTLS() {
	w := c.w
	tr := &c.tls.tr
	for i := 0; i < maxReadsPerEvent; i++ {
		n, errno := rawRead(c.fd, w.buf)
		switch errno {
		case 0:
		case unix.EAGAIN:
			c.afterRead()
			return
		case unix.EINTR:
			continue
		default:
			w.errs.ReadError(cause(errno))
			c.reconnect()
			return
		}
		if n == 0 {
			tr.eof = true
		} else {
			tr.in = w.buf[:n]
		}
		if !c.decrypt() {
			return
		}
		if n < len(w.buf) {
			break
		}
	}
	c.afterRead()
}

// decrypt hands every record crypto/tls can complete to the parser. It
// returns false when the connection was replaced.
func (c *conn) decrypt() bool {
	w := c.w
	tc := c.tls
	for {
		n, err := tc.tc.Read(w.plain)
		if n > 0 && !c.onData(w.plain[:n]) {
			return false
		}
		if err == nil && n > 0 {
			continue
		}
		// (0, nil) cannot happen with a non-empty buffer; stopping on it
		// keeps a surprise from spinning the loop.
		if err == nil || errors.Is(err, errWouldBlock) {
			break
		}
		if errors.Is(err, io.EOF) { // close_notify, or a close between records
			c.onEOF()
			return false
		}
		cs := cause(err)
		if errors.Is(err, io.ErrUnexpectedEOF) {
			cs = "tls" // a truncated record
		}
		w.errs.ReadError(cs)
		c.reconnect()
		return false
	}
	tc.tr.in = nil
	// Reading can make crypto/tls write (a KeyUpdate's answer); what the
	// socket did not take waits for EPOLLOUT like a batch's rest.
	if len(tc.tr.out) > tc.tr.off && !c.outArmed {
		gen := c.gen
		c.write()
		return c.gen == gen
	}
	return true
}

// afterRead starts the next batch once all responses of this one arrived.
func (c *conn) afterRead() {
	if c.h2On() {
		c.h2AfterRead()
		return
	}
	if c.state == stReading && c.pending <= 0 {
		c.startBatch()
	}
}

// onData feeds bytes to the parser. It returns false when the connection
// was replaced (error or non-keep-alive response).
func (c *conn) onData(b []byte) bool {
	if c.h2On() {
		return c.h2Data(b)
	}
	w := c.w
	for len(b) > 0 {
		n, done, err := c.parser.Parse(b)
		if err != nil {
			w.errs.ReadError("parse")
			c.reconnect()
			return false
		}
		w.bytes += uint64(n)
		b = b[n:]
		if done && !c.completeResponse() {
			return false
		}
	}
	return true
}

// onEOF handles the peer closing: it may complete a close-delimited
// response (wrk counts that as a read error too; we do not). Closing with a
// request outstanding is a read error, as in wrk.
func (c *conn) onEOF() {
	if c.h2On() {
		c.h2EOF()
		return
	}
	w := c.w
	done, err := c.parser.EOF()
	switch {
	case done:
		c.completeResponse() // not keep-alive: reconnects
		return
	case err != nil:
		w.errs.ReadError("parse")
	case c.pending > 0 || c.state == stWriting:
		w.errs.ReadError("eof")
	}
	c.reconnect()
}

// completeResponse accounts one response. It returns false when the
// connection was replaced.
func (c *conn) completeResponse() bool {
	w := c.w
	w.complete++
	w.sampleCount++
	status := c.parser.Status()
	if status >= 0 && status < len(w.statuses) {
		w.statuses[status]++
	}
	if status > 399 {
		w.errs.Status++
	}
	if c.resp != nil {
		r := c.resp.response(status)
		err := w.script.Response(r)
		c.resp.reset()
		w.checkScriptStop()
		if err != nil {
			w.failScript(err)
		}
	}
	keep := c.parser.KeepAlive()
	c.parser.Reset()
	c.pending--
	if c.pending <= 0 {
		c.setInflight(false)
	}
	if c.pending == 0 {
		now := time.Now()
		if w.rate {
			// The uncorrected histogram decides timeouts: the corrected
			// one includes the time spent behind schedule.
			if !w.ulat.Record(now.Sub(c.sentAt).Microseconds()) {
				w.errs.Timeout++
			} else {
				us := now.Sub(c.start).Microseconds()
				w.lat.Record(us)
				w.series.Latency(now, us)
			}
		} else if us := now.Sub(c.start).Microseconds(); !w.lat.Record(us) {
			w.errs.Timeout++
		} else {
			w.series.Latency(now, us)
		}
	}
	if !keep {
		c.reconnect()
		return false
	}
	return true
}

// setInflight keeps worker.inflight in step with the connection's flag.
func (c *conn) setInflight(on bool) {
	if c.inflight == on {
		return
	}
	c.inflight = on
	if on {
		c.w.inflight++
	} else {
		c.w.inflight--
	}
}

// checkTimeout replaces a connection whose batch has waited longer than
// --timeout (wrk never notices hung requests) or whose connect has.
func (c *conn) checkTimeout(now time.Time) {
	w := c.w
	limit := w.cfg.Timeout
	switch c.state {
	case stBackoff:
		c.connect(now)
	case stConnecting:
		if now.Sub(c.connStart) > limit {
			w.errs.ConnectError("timeout") // a hung connect or TLS handshake
			c.reconnect()
		}
	case stWriting, stReading:
		if c.h2On() {
			c.h2CheckTimeout(now)
			return
		}
		if now.Sub(c.sentAt) > limit {
			w.errs.Timeout++
			c.reconnect()
		}
	}
}

// respCollector keeps a response's headers and body for the script's
// response hook, in buffers reused from one response to the next.
type respCollector struct {
	arena  []byte
	spans  []int // name start, name end, value start, value end, …
	body   []byte
	fields []HeaderField
	r      Response
}

func (rc *respCollector) Header(name, value []byte) {
	s := len(rc.arena)
	rc.arena = append(rc.arena, name...)
	m := len(rc.arena)
	rc.arena = append(rc.arena, value...)
	rc.spans = append(rc.spans, s, m, m, len(rc.arena))
}

func (rc *respCollector) Body(b []byte) { rc.body = append(rc.body, b...) }

func (rc *respCollector) response(status int) *Response {
	rc.fields = rc.fields[:0]
	for i := 0; i+3 < len(rc.spans); i += 4 {
		sp := rc.spans[i : i+4]
		rc.fields = append(rc.fields, HeaderField{Name: rc.arena[sp[0]:sp[1]], Value: rc.arena[sp[2]:sp[3]]})
	}
	rc.r = Response{Status: status, Headers: rc.fields, Body: rc.body}
	return &rc.r
}

func (rc *respCollector) reset() {
	rc.arena = rc.arena[:0]
	rc.spans = rc.spans[:0]
	rc.body = rc.body[:0]
}
