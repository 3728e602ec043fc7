//go:build linux

package runner

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wrklint/wrklint/runner/h2"
)

// HTTP/2 on the worker's event loop. A connection slot whose h2 is set
// and on speaks HTTP/2: its socket, TLS session, timers and error paths
// are the HTTP/1.1 ones (conn.go), and the hooks in conn.go hand reads,
// writes, timers and EOF to the functions here. One connection carries up
// to -m streams; each completed stream is one request for the statistics,
// and a stream is opened whenever one ends and the request budget (-R,
// delay()) allows. The protocol state is runner/h2's, which does no I/O.

// h2worker is a worker's HTTP/2 configuration, shared by its slots.
type h2worker struct {
	mode      HTTP2Mode
	tls       bool
	scheme    string
	authority string       // :authority when a request has no Host
	static    []h2.Request // the static batch translated (no request() hook)
	cache     *h2.Cache    // strings the worker's connections remember
	// Connections that spoke each protocol, and the responses over
	// HTTP/2, for Summary.Protocol.
	h2Conns, h1Conns, h2Complete uint64
}

// h2client is one slot's HTTP/2 state, reused across its connections.
type h2client struct {
	c    *conn
	on   bool // the current connection speaks HTTP/2
	conn *h2.Conn
	resp []respCollector // per stream slot, with a response hook
	req  h2.Request
	// pend is the request() batch being turned into streams (wrk's
	// pipelined requests become one stream each); pendOff is where the
	// next request starts.
	pend    []byte
	pendOff int
	// delays are the due times of streams waiting on delay(); ready
	// counts those whose time came.
	delays     []time.Time
	ready      int
	staticNext int
	goAwaySeen bool
	schedAt    time.Time // -R: the send time a timer is set for
	counted    bool      // the connection got the server's SETTINGS and counts as HTTP/2
}

func newH2Client(c *conn, streams int, responses bool, cache *h2.Cache) *h2client {
	h := &h2client{c: c}
	h.conn = h2.NewConn(h2.Config{MaxStreams: streams, Headers: responses, Cache: cache}, h)
	if responses {
		h.resp = make([]respCollector, max(streams, 1))
	}
	return h
}

// h2On reports whether the slot's current connection speaks HTTP/2.
func (c *conn) h2On() bool { return c.h2 != nil && c.h2.on }

// h2Begin starts HTTP/2 on a connection that just connected. It returns
// false when the connection speaks HTTP/1.1 (--http2=auto and ALPN chose
// it); it has otherwise taken the connection over.
func (c *conn) h2Begin() bool {
	h, w := c.h2, c.w
	hw := w.h2
	if c.tls != nil {
		proto := c.tls.tc.ConnectionState().NegotiatedProtocol
		if proto != "h2" {
			if hw.mode == HTTP2Auto {
				h.on = false
				hw.h1Conns++
				return false
			}
			// Counted and retried at the next tick: the pre-run check
			// (CheckHTTP2) refuses a server that never selects h2.
			w.errs.ConnectError("alpn")
			c.close()
			c.state = stBackoff
			return true
		}
	}
	h.on = true
	h.counted = false
	h.pend, h.pendOff = h.pend[:0], 0
	h.delays, h.ready = h.delays[:0], 0
	h.goAwaySeen = false
	h.schedAt = time.Time{}
	for i := range h.resp {
		h.resp[i].reset()
	}
	h.conn.Start()
	c.state = stReading
	c.sentAt = time.Now()
	c.h2Fill()
	return true
}

// h2Fill opens streams while the connection, the schedule (-R) and the
// script's delay() allow, then writes what is queued.
func (c *conn) h2Fill() {
	h, w := c.h2, c.w
	hc := h.conn
	for hc.Active()+len(h.delays) < hc.Limit() && hc.CanOpen() && !w.stopped && w.err == nil {
		now := time.Now()
		var intended time.Time
		if w.rate {
			due, wait := c.sched.next(now)
			if wait {
				// One timer per due time: this runs after every read.
				if !h.schedAt.Equal(due) {
					h.schedAt = due
					w.timers.push(timerItem{when: due, idx: c.idx, gen: c.gen})
				}
				break
			}
			intended = c.sched.intended()
		}
		if h.ready > 0 {
			h.ready--
		} else if w.caps.Delay {
			d, err := w.script.Delay()
			w.checkScriptStop()
			if err != nil {
				w.failScript(err)
				return
			}
			if d > 0 {
				due := now.Add(d)
				h.delays = append(h.delays, due)
				w.timers.push(timerItem{when: due, idx: c.idx, gen: c.gen})
				continue
			}
		}
		block, body, ok := c.h2NextRequest()
		if !ok {
			return
		}
		s := hc.Open(block, body)
		s.SentAt = time.Now()
		s.Start = s.SentAt
		if w.rate {
			s.Start = intended
			c.sched.sent(1)
			lag := s.SentAt.Sub(intended).Microseconds()
			w.lag.Record(lag)
			w.series.Lag(s.SentAt, lag)
		}
	}
	c.h2Flush()
}

// h2NextRequest encodes the next request: the static one (its HPACK
// block cached per connection) or the next of the script's batch,
// calling request() when the batch is used up. ok is false when the
// script failed.
func (c *conn) h2NextRequest() (block, body []byte, ok bool) {
	h, w := c.h2, c.w
	hw := w.h2
	if !w.caps.Request {
		r := &hw.static[h.staticNext]
		h.staticNext++
		if h.staticNext == len(hw.static) {
			h.staticNext = 0
			w.staticSends++
		}
		if len(hw.static) == 1 {
			return h.conn.StaticBlock(r, hw.scheme, hw.authority), r.Body, true
		}
		return h.conn.EncodeRequest(r, hw.scheme, hw.authority), r.Body, true
	}
	for tries := 0; ; tries++ {
		if h.pendOff < len(h.pend) {
			n, err := h2.ParseRequest(h.pend[h.pendOff:], &h.req)
			if err == nil {
				h.pendOff += n
				return h.conn.EncodeRequest(&h.req, hw.scheme, hw.authority), h.req.Body, true
			}
			if !h2.IsEnd(err) {
				w.failScript(fmt.Errorf("request() over HTTP/2: %w", err))
				return nil, nil, false
			}
		}
		if tries > 0 {
			w.failScript(fmt.Errorf("request() over HTTP/2: returned no request"))
			return nil, nil, false
		}
		b, err := w.script.Request(c.reqBuf[:0])
		w.checkScriptStop()
		if err != nil {
			w.failScript(err)
			return nil, nil, false
		}
		c.reqBuf = b
		h.pend, h.pendOff = append(h.pend[:0], b...), 0
		w.paths.AddRequest(b, uint64(w.depth))
	}
}

// h2Flush writes the queued frames; on EAGAIN wrote arms EPOLLOUT and
// the loop calls write, which comes back here.
func (c *conn) h2Flush() {
	hc := c.h2.conn
	if c.tls != nil {
		tr := &c.tls.tr
		for {
			for tr.off < len(tr.out) {
				n, errno := rawWrite(c.fd, tr.out[tr.off:])
				if errno == 0 {
					tr.off += n
				} else if !c.wrote(n, errno) {
					return
				}
			}
			tr.out, tr.off = tr.out[:0], 0
			p := hc.Pending()
			if len(p) == 0 {
				break
			}
			n := min(len(p), tlsChunk)
			if _, err := c.tls.tc.Write(p[:n]); err != nil {
				c.w.errs.Write++
				c.reconnect()
				return
			}
			hc.Wrote(n)
		}
	} else {
		for p := hc.Pending(); len(p) > 0; p = hc.Pending() {
			n, errno := rawWrite(c.fd, p)
			if errno == 0 {
				hc.Wrote(n)
			}
			if !c.wrote(n, errno) {
				return
			}
		}
	}
	if c.outArmed {
		if err := c.w.poll.ctl(unix.EPOLL_CTL_MOD, c.fd, unix.EPOLLIN, c.idx, c.gen); err != nil {
			c.w.errs.Write++
			c.reconnect()
			return
		}
		c.outArmed = false
	}
	c.state = stReading
}

// h2Data feeds read bytes to the protocol state. It returns false when
// the connection was replaced.
func (c *conn) h2Data(b []byte) bool {
	w := c.w
	h := c.h2
	w.bytes += uint64(len(b))
	if err := h.conn.Feed(b); err != nil {
		w.errs.ConnError(h2Cause(err))
		c.h2Flush() // the GOAWAY, if the socket takes it
		if h.conn.GotSettings() {
			c.reconnect()
		} else {
			// Not an HTTP/2 server (or not any more): retried at the
			// next tick, not in a tight loop.
			c.close()
			c.state = stBackoff
		}
		return false
	}
	if !h.counted && h.conn.GotSettings() {
		h.counted = true
		w.h2.h2Conns++
	}
	return true
}

// h2AfterRead runs after each read event: a connection the server is
// closing (GOAWAY) is replaced once its last stream ended; otherwise
// freed streams are refilled.
func (c *conn) h2AfterRead() {
	h := c.h2
	if away, code := h.conn.GoingAway(); away {
		if !h.goAwaySeen {
			h.goAwaySeen = true
			if code != h2.ErrCodeNo {
				c.w.errs.ConnError("GOAWAY " + code.String())
			}
		}
		if h.conn.Active() == 0 {
			c.reconnect()
			return
		}
	}
	c.h2Fill()
}

// h2Timer runs a due timer of the slot: a delay() that elapsed or the
// schedule's next send time.
func (c *conn) h2Timer(now time.Time) {
	h := c.h2
	kept := h.delays[:0]
	for _, d := range h.delays {
		if d.After(now) {
			kept = append(kept, d)
		} else {
			h.ready++
		}
	}
	h.delays = kept
	c.h2Fill()
}

// h2EOF handles the server closing the connection: a read error when
// streams were open, as in HTTP/1.1.
func (c *conn) h2EOF() {
	if c.h2.conn.Active() > 0 {
		c.w.errs.ReadError("eof")
	}
	c.reconnect()
}

// h2CheckTimeout replaces the connection when a stream has waited longer
// than --timeout.
func (c *conn) h2CheckTimeout(now time.Time) {
	limit := c.w.cfg.Timeout
	ss := c.h2.conn.Streams()
	for i := range ss {
		if s := &ss[i]; s.ID != 0 && now.Sub(s.SentAt) > limit {
			c.w.errs.Timeout++
			c.reconnect()
			return
		}
	}
}

func h2Cause(err error) string {
	var ce *h2.ConnError
	switch {
	case errors.As(err, &ce):
		return ce.Code.String()
	case errors.Is(err, h2.ErrNotReading):
		return h2.ErrCodeEnhanceYourCalm.String()
	case errors.Is(err, h2.ErrNotHTTP2):
		return "NOT_HTTP2"
	}
	return h2.ErrCodeProtocol.String()
}

// Header implements h2.Handler.
func (h *h2client) Header(s *h2.Stream, name, value string) {
	rc := &h.resp[s.Slot]
	st := len(rc.arena)
	rc.arena = append(rc.arena, name...)
	m := len(rc.arena)
	rc.arena = append(rc.arena, value...)
	rc.spans = append(rc.spans, st, m, m, len(rc.arena))
}

// Data implements h2.Handler.
func (h *h2client) Data(s *h2.Stream, b []byte) { h.resp[s.Slot].Body(b) }

// Reset implements h2.Handler: a stream the server refused or excluded
// by GOAWAY is not an error (its slot sends the next request); any other
// reset is a stream error.
func (h *h2client) Reset(s *h2.Stream, code h2.ErrCode, unprocessed bool) {
	if h.resp != nil {
		h.resp[s.Slot].reset()
	}
	if !unprocessed {
		h.c.w.errs.StreamError(code.String())
	}
}

// Done implements h2.Handler: one completed request, accounted as
// conn.completeResponse accounts an HTTP/1.1 response.
func (h *h2client) Done(s *h2.Stream) {
	w := h.c.w
	w.complete++
	w.sampleCount++
	w.h2.h2Complete++
	status := s.Status
	if status >= 0 && status < len(w.statuses) {
		w.statuses[status]++
	}
	if status > 399 {
		w.errs.Status++
	}
	if h.resp != nil {
		rc := &h.resp[s.Slot]
		r := rc.response(status)
		r.HTTP2 = true
		err := w.script.Response(r)
		rc.reset()
		w.checkScriptStop()
		if err != nil {
			w.failScript(err)
		}
	}
	now := time.Now()
	if w.rate {
		if !w.ulat.Record(now.Sub(s.SentAt).Microseconds()) {
			w.errs.Timeout++
		} else {
			us := now.Sub(s.Start).Microseconds()
			w.lat.Record(us)
			w.series.Latency(now, us)
		}
	} else if us := now.Sub(s.Start).Microseconds(); !w.lat.Record(us) {
		w.errs.Timeout++
	} else {
		w.series.Latency(now, us)
	}
}

// newH2Worker translates the static request for HTTP/2.
func newH2Worker(cfg *Config, target Target, request []byte) (*h2worker, error) {
	hw := &h2worker{mode: cfg.HTTP2, tls: target.TLS, scheme: "http", authority: target.HostHeader(), cache: h2.NewCache()}
	if target.TLS {
		hw.scheme = "https"
	}
	for off := 0; ; {
		var r h2.Request
		n, err := h2.ParseRequest(request[off:], &r)
		if h2.IsEnd(err) && len(hw.static) > 0 {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("the request cannot be sent over HTTP/2: %w", err)
		}
		hw.static = append(hw.static, r)
		off += n
	}
	return hw, nil
}

// protocol is Summary.Protocol for the workers' connections: empty
// without --http2 (the report then has no protocol line).
func protocol(cfg *Config, workers []*worker) string {
	if cfg.HTTP2 == HTTP2Off {
		return ""
	}
	var h2c, h1c uint64
	for _, w := range workers {
		h2c += w.h2.h2Conns
		h1c += w.h2.h1Conns
	}
	switch {
	case h1c > 0 && h2c > 0:
		return "mixed"
	case h1c > 0:
		return "HTTP/1.1"
	case h2c > 0:
		return "HTTP/2"
	}
	return "none" // no connection got as far as the server's SETTINGS
}

// alpn is the protocol list the TLS handshake offers.
func alpn(m HTTP2Mode) []string {
	switch m {
	case HTTP2Require:
		return []string{"h2"}
	case HTTP2Auto:
		return []string{"h2", "http/1.1"}
	}
	return []string{"http/1.1"}
}

// checkHTTP2 is --http2's pre-run check: one connection that must reach
// the server's SETTINGS (over TLS, after ALPN selected h2), so that a
// server that does not speak HTTP/2 fails the run at start with a
// message that says so, as an unreachable one does, instead of counting
// an error per connection attempt. --http2=auto accepts an https server
// that selects HTTP/1.1.
func checkHTTP2(ctx context.Context, cfg *Config, target Target, addr *net.TCPAddr) error {
	if cfg.HTTP2 == HTTP2Off {
		return nil
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	fail := func(err error) error { return &ConnectError{Host: target.Host, Service: target.Service, Err: err} }
	var nc net.Conn
	if target.TLS {
		conf := newTLSConfig(cfg, target, 1)
		conf.ClientSessionCache = nil
		d := tls.Dialer{NetDialer: &net.Dialer{}, Config: conf}
		c, err := d.DialContext(ctx, "tcp", addr.String())
		if err != nil {
			// A server without h2 in its list may refuse the handshake
			// with a no_application_protocol alert, whose type
			// crypto/tls does not export.
			if strings.Contains(err.Error(), "no application protocol") {
				err = fmt.Errorf("server did not negotiate HTTP/2 (%w); --http2=auto falls back to HTTP/1.1", err)
			}
			return fail(err)
		}
		nc = c
		if p := c.(*tls.Conn).ConnectionState().NegotiatedProtocol; p != "h2" {
			c.Close()
			if cfg.HTTP2 == HTTP2Auto {
				return nil
			}
			return fail(fmt.Errorf("server did not negotiate HTTP/2 (ALPN: %q); --http2=auto falls back to HTTP/1.1", p))
		}
	} else {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr.String())
		if err != nil {
			return fail(err)
		}
		nc = c
	}
	defer nc.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = nc.SetDeadline(dl)
	}
	hc := h2.NewConn(h2.Config{MaxStreams: 1}, discardStreams{})
	hc.Start()
	if _, err := nc.Write(hc.Pending()); err != nil {
		return fail(fmt.Errorf("HTTP/2 preface: %w", err))
	}
	buf := make([]byte, 16<<10)
	for !hc.GotSettings() {
		n, err := nc.Read(buf)
		if n > 0 {
			if ferr := hc.Feed(buf[:n]); ferr != nil {
				if errors.Is(ferr, h2.ErrNotHTTP2) {
					return fail(fmt.Errorf("server does not speak HTTP/2 (%s): %w", priorKnowledge(target), ferr))
				}
				return fail(ferr)
			}
			continue
		}
		if err != nil {
			return fail(fmt.Errorf("server sent no HTTP/2 SETTINGS (%s): %w", priorKnowledge(target), err))
		}
	}
	return nil
}

func priorKnowledge(t Target) string {
	if t.TLS {
		return "after ALPN h2"
	}
	return "h2c with prior knowledge"
}

// discardStreams is the pre-run check's h2.Handler: it opens no stream.
type discardStreams struct{}

func (discardStreams) Header(*h2.Stream, string, string)  {}
func (discardStreams) Data(*h2.Stream, []byte)            {}
func (discardStreams) Done(*h2.Stream)                    {}
func (discardStreams) Reset(*h2.Stream, h2.ErrCode, bool) {}
