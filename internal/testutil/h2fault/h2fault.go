// Package h2fault starts HTTP/2 servers on 127.0.0.1 that misbehave on
// purpose, for tests of wrkrun's HTTP/2 client.
//
// A [Server] speaks HTTP/2 frame by frame with golang.org/x/net/http2's
// Framer and hpack, not through http2.Server, because the faults it injects
// (GOAWAY with a last-stream-id below the streams in flight, a 1-byte
// window, SETTINGS changed under the client's feet, headers split into
// CONTINUATION frames, padded DATA, no SETTINGS at all) are exactly what a
// well-behaved server library refuses to do. Every fault is a field of
// [Behavior]; the zero Behavior is a correct h2c server that answers every
// request with 200 and a short body.
//
// The server also checks the client: it records a violation for DATA beyond
// the window it advertised, more concurrent streams than the
// SETTINGS_MAX_CONCURRENT_STREAMS the client acknowledged, a malformed
// request header block (upper-case names, connection-specific headers,
// missing pseudo-headers), or a frame it cannot parse. Tests assert that
// [Stats.Violations] is empty.
//
// [StartReference] and [StartHTTP1] start the well-behaved servers (net/http
// and http2.Server) that the fault servers are compared with.
//
// Every server is closed by t.Cleanup; every connection has a deadline, so
// a client that stalls cannot keep a test running.
package h2fault

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// connLifetime bounds every connection of every server in this package: a
// test's wrkrun run lasts a second or two.
const connLifetime = 20 * time.Second

// maxRecorded bounds how many requests and violations a server keeps.
const maxRecorded = 200

// Behavior selects a server's faults. Counts are per connection unless
// they say otherwise; zero means "off".
type Behavior struct {
	// TLS serves h2 over TLS with ALPN "h2" (a throw-away certificate)
	// instead of h2c with prior knowledge.
	TLS bool

	// MaxConcurrentStreams is announced in the first SETTINGS, and the
	// server records a violation when the client opens more streams at
	// once than the value it acknowledged.
	MaxConcurrentStreams uint32
	// InitialWindow is the server's SETTINGS_INITIAL_WINDOW_SIZE: how
	// many request-body bytes the client may send on a stream before a
	// WINDOW_UPDATE. 0 keeps the default (65535); use Trickle with a
	// small value.
	InitialWindow uint32
	// Trickle: the server grants request-body window one byte at a time
	// (one WINDOW_UPDATE of 1 per byte received) instead of all at once.
	Trickle bool

	// GoAwayAfter sends GOAWAY after the connection's Nth request
	// HEADERS. The last-stream-id is that Nth stream: the server then
	// finishes every stream up to it and closes the connection once they
	// are answered. Streams the client opened above it are not answered
	// (RFC 9113 §6.8: they were not processed and may be retried).
	GoAwayAfter int
	// GoAwayCode is the GOAWAY's error code (NO_ERROR by default).
	GoAwayCode http2.ErrCode
	// GoAwayLow announces a last-stream-id lower than the streams already
	// in flight: the GOAWAY names the stream before the Nth, so the Nth
	// and any later ones are abandoned unanswered.
	GoAwayLow bool

	// ResetEvery answers every Nth stream of a connection with RST_STREAM
	// ResetCode instead of a response.
	ResetEvery int
	// ResetCode is the RST_STREAM error code (REFUSED_STREAM by default).
	ResetCode http2.ErrCode

	// SettingsAfter sends a second SETTINGS frame after the connection's
	// Nth request, with NewMaxStreams and NewInitialWindow (each when
	// non-zero).
	SettingsAfter    int
	NewMaxStreams    uint32
	NewInitialWindow uint32

	// PingEvery sends a PING after every Nth request and counts the
	// client's PING ACKs.
	PingEvery int

	// ContinuationChunk splits every response header block into a
	// HEADERS frame and CONTINUATION frames of at most this many bytes
	// of block each. The response then carries extra headers so that
	// the block is long enough to split.
	ContinuationChunk int
	// Padding pads every response DATA frame with this many bytes
	// (1..255); padding counts against the client's window.
	Padding int
	// BodySize is the response body's length (default 2, "ok"). Larger
	// than 65535 exceeds the default window: the client has to send
	// WINDOW_UPDATE for the response to finish.
	BodySize int

	// Delay holds every response this long before answering (a slow
	// server, for timeouts).
	Delay time.Duration

	// EarlyHints sends an interim 103 response (HEADERS without
	// END_STREAM) before every final response: a client must wait for the
	// final one (RFC 9113 §8.1).
	EarlyHints bool
	// Trailers ends every response with a trailer HEADERS frame
	// (END_STREAM) after the DATA, instead of END_STREAM on the DATA.
	Trailers bool
	// PushPromise sends a PUSH_PROMISE before every response although
	// the client disabled push: a connection error PROTOCOL_ERROR
	// (RFC 9113 §8.4).
	PushPromise bool

	// NoSettings: the server reads the preface and never sends SETTINGS
	// or anything else.
	NoSettings bool

	// Tee, if set, receives a copy of every byte the server writes on
	// any connection (for fuzz seeds from real traffic); calls are
	// serialised.
	Tee io.Writer

	// Hostile servers: a client must bound what it accepts.
	//
	// ContinuationFlood answers with HEADERS without END_HEADERS, then
	// CONTINUATION frames that never end (each a valid block fragment),
	// until the client closes the connection or FloodLimit bytes were
	// written.
	ContinuationFlood bool
	// HPACKBomb puts a 4000-byte field in the dynamic table, then
	// answers with header blocks of 4000 one-byte references to it: 16
	// MB of decoded header list per 4 KB block, far above the 1 MiB a
	// client announces in SETTINGS_MAX_HEADER_LIST_SIZE.
	HPACKBomb bool
	// OversizeFrame sends every response body as one DATA frame of 20000
	// bytes, above the client's SETTINGS_MAX_FRAME_SIZE (16384 unless it
	// announced more): a FRAME_SIZE_ERROR (RFC 9113 §4.2).
	OversizeFrame bool
}

// FloodLimit bounds what a ContinuationFlood server writes on one
// connection.
const FloodLimit = 64 << 20

// Request is what the server decoded from one request.
type Request struct {
	Method, Scheme, Authority, Path string
	// Header holds the regular fields, names as the client sent them.
	Header map[string][]string
	Body   []byte
}

// Stats are a server's counters. Read them with [Server.Stats] after the
// client is done.
type Stats struct {
	Conns int // connections that sent the preface
	// ReqConns counts the connections that sent at least one request (a
	// client's start-up check may connect without sending any).
	ReqConns  int
	Streams   int // request HEADERS received
	Served    int // responses completed (END_STREAM sent)
	Resets    int // RST_STREAM sent
	GoAways   int // GOAWAY sent
	Settings  int // mid-connection SETTINGS sent
	Pings     int // PING sent
	PingAcks  int // PING ACKs received with the data sent
	ClientRST int // RST_STREAM received from the client
	// MaxConcurrent is the most streams one connection had open at once.
	MaxConcurrent int
	// WindowUpdates counts the client's WINDOW_UPDATE frames.
	WindowUpdates int
	// FloodBytes is the most CONTINUATION bytes one connection of a
	// ContinuationFlood server wrote before the client gave up.
	FloodBytes int
	// Requests holds the first requests decoded (at most 200).
	Requests []Request
	// Violations lists what the client did wrong (at most 200).
	Violations []string
}

// Server is a running fault server.
type Server struct {
	// URL is the base URL, http://127.0.0.1:port/ (https with TLS).
	URL string
	b   Behavior
	ln  net.Listener

	mu    sync.Mutex
	teeMu sync.Mutex
	stats Stats
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// Start starts a fault server with behaviour b; t.Cleanup closes it and
// every connection.
func Start(t testing.TB, b Behavior) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("h2fault: listen: %v", err)
	}
	scheme := "http"
	if b.TLS {
		cert, err := SelfSigned()
		if err != nil {
			t.Fatalf("h2fault: %v", err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2"}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	s := &Server{URL: scheme + "://" + ln.Addr().String() + "/", b: b, ln: ln, conns: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.Close)
	return s
}

// Close stops the server and closes its connections; it is safe to call
// more than once.
func (s *Server) Close() {
	_ = s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Requests = append([]Request(nil), st.Requests...)
	st.Violations = append([]string(nil), st.Violations...)
	return st
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				_ = c.Close()
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
			}()
			_ = c.SetDeadline(time.Now().Add(connLifetime))
			sc := newServerConn(s, c)
			if err := sc.serve(); err != nil && !isClosed(err) {
				s.violation("connection: %v", err)
			}
		}()
	}
}

func isClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || errors.Is(err, io.ErrUnexpectedEOF) ||
		strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe")
}

func (s *Server) violation(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.stats.Violations) < maxRecorded {
		s.stats.Violations = append(s.stats.Violations, fmt.Sprintf(format, args...))
	}
}

func (s *Server) count(f func(st *Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

// stream is one request's state on the server.
type stream struct {
	id      uint32
	req     Request
	recvWin int64 // request-body bytes the client may still send
	sendWin int64 // response bytes the server may still send
	body    []byte
	pending []byte // response body not yet sent (flow control)
	sending bool   // response HEADERS sent; pending drains as windows open
	done    bool   // request fully received
}

// serverConn is one connection. A single goroutine reads frames; timers
// (Delay) write too, so every write and all state are under mu.
type serverConn struct {
	s  *Server
	c  net.Conn
	b  Behavior
	mu sync.Mutex
	fr *http2.Framer

	henc    *hpack.Encoder
	hbuf    bytes.Buffer
	streams map[uint32]*stream

	nreq        int    // request HEADERS on this connection
	bombed      bool   // HPACKBomb: the big field is in the table
	pushID      uint32 // the last promised stream ID
	lastStream  uint32
	goneAway    bool
	goAwayLast  uint32
	closing     bool
	pingData    [8]byte
	pingPending bool

	// The client's settings, for sending.
	peerInitWin  int64
	peerMaxFrame uint32
	connSendWin  int64

	// The server's settings as the client has acknowledged them.
	ackedMax     uint32 // 0: unlimited
	sentMax      uint32 // the latest value sent
	pendingMax   []uint32
	recvInitWin  int64
	pendingInits []int64
	// Settings sent but not yet acknowledged, in order.
	unacked int
}

func newServerConn(s *Server, c net.Conn) *serverConn {
	sc := &serverConn{s: s, c: c, b: s.b, streams: map[uint32]*stream{},
		peerInitWin: 65535, peerMaxFrame: 16384, connSendWin: 65535, recvInitWin: 65535}
	var w io.Writer = c
	if s.b.Tee != nil {
		w = io.MultiWriter(c, &lockedWriter{mu: &s.teeMu, w: s.b.Tee})
	}
	sc.fr = http2.NewFramer(w, c)
	sc.fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	sc.fr.MaxHeaderListSize = 1 << 20
	sc.henc = hpack.NewEncoder(&sc.hbuf)
	return sc
}

func (sc *serverConn) serve() error {
	preface := make([]byte, len(http2.ClientPreface))
	if _, err := io.ReadFull(sc.c, preface); err != nil {
		return fmt.Errorf("reading the preface: %w", err)
	}
	if string(preface) != http2.ClientPreface {
		return fmt.Errorf("bad preface %q", preface)
	}
	sc.s.count(func(st *Stats) { st.Conns++ })
	if sc.b.NoSettings {
		// Read and drop whatever comes until the client gives up.
		_, err := io.Copy(io.Discard, sc.c)
		return err
	}
	var settings []http2.Setting
	if sc.b.MaxConcurrentStreams > 0 {
		settings = append(settings, http2.Setting{ID: http2.SettingMaxConcurrentStreams, Val: sc.b.MaxConcurrentStreams})
		sc.pendingMax = append(sc.pendingMax, sc.b.MaxConcurrentStreams)
		sc.sentMax = sc.b.MaxConcurrentStreams
	} else {
		sc.pendingMax = append(sc.pendingMax, 0)
	}
	init := int64(65535)
	if sc.b.InitialWindow > 0 {
		init = int64(sc.b.InitialWindow)
		settings = append(settings, http2.Setting{ID: http2.SettingInitialWindowSize, Val: sc.b.InitialWindow})
	}
	sc.pendingInits = append(sc.pendingInits, init)
	// Until the client acknowledges, it may use the defaults; the server
	// enforces the larger of old and new.
	sc.recvInitWin = max(65535, init)
	sc.unacked = 1
	sc.mu.Lock()
	err := sc.fr.WriteSettings(settings...)
	sc.mu.Unlock()
	if err != nil {
		return fmt.Errorf("writing SETTINGS: %w", err)
	}
	for {
		f, err := sc.fr.ReadFrame()
		if err != nil {
			var se http2.StreamError
			if errors.As(err, &se) {
				sc.s.violation("stream %d: %v", se.StreamID, se)
				sc.mu.Lock()
				werr := sc.fr.WriteRSTStream(se.StreamID, se.Code)
				delete(sc.streams, se.StreamID)
				sc.mu.Unlock()
				if werr != nil {
					return werr
				}
				continue
			}
			sc.mu.Lock()
			closing := sc.closing
			sc.mu.Unlock()
			if closing {
				sc.shutdown()
				return nil
			}
			if isClosed(err) {
				return nil
			}
			return fmt.Errorf("reading a frame: %w", err)
		}
		if err := sc.handle(f); err != nil {
			return err
		}
		sc.mu.Lock()
		closing := sc.closing
		sc.mu.Unlock()
		if closing {
			sc.shutdown()
			return nil
		}
	}
}

func (sc *serverConn) handle(f http2.Frame) error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	switch f := f.(type) {
	case *http2.SettingsFrame:
		if f.IsAck() {
			sc.settingsAcked()
			return nil
		}
		_ = f.ForeachSetting(func(st http2.Setting) error {
			switch st.ID {
			case http2.SettingInitialWindowSize:
				delta := int64(st.Val) - sc.peerInitWin
				sc.peerInitWin = int64(st.Val)
				for _, s := range sc.streams {
					s.sendWin += delta
				}
			case http2.SettingMaxFrameSize:
				sc.peerMaxFrame = st.Val
			}
			return nil
		})
		if err := sc.fr.WriteSettingsAck(); err != nil {
			return err
		}
		sc.flush()
	case *http2.WindowUpdateFrame:
		sc.s.count(func(st *Stats) { st.WindowUpdates++ })
		if f.StreamID == 0 {
			sc.connSendWin += int64(f.Increment)
		} else if s := sc.streams[f.StreamID]; s != nil {
			s.sendWin += int64(f.Increment)
		}
		sc.flush()
	case *http2.PingFrame:
		if f.IsAck() {
			if sc.pingPending && f.Data == sc.pingData {
				sc.pingPending = false
				sc.s.count(func(st *Stats) { st.PingAcks++ })
			} else {
				sc.s.violation("PING ACK with data %x, sent %x", f.Data, sc.pingData)
			}
			return nil
		}
		return sc.fr.WritePing(true, f.Data)
	case *http2.MetaHeadersFrame:
		return sc.onHeaders(f)
	case *http2.DataFrame:
		return sc.onData(f)
	case *http2.RSTStreamFrame:
		sc.s.count(func(st *Stats) { st.ClientRST++ })
		delete(sc.streams, f.StreamID)
	case *http2.GoAwayFrame:
		sc.closing = true
	case *http2.PriorityFrame:
	default:
		sc.s.violation("unexpected frame %v", f.Header())
	}
	return nil
}

func (sc *serverConn) settingsAcked() {
	if sc.unacked == 0 {
		sc.s.violation("SETTINGS ACK without SETTINGS")
		return
	}
	sc.unacked--
	if len(sc.pendingMax) > 0 {
		sc.ackedMax, sc.pendingMax = sc.pendingMax[0], sc.pendingMax[1:]
	}
	if len(sc.pendingInits) > 0 {
		delta := sc.pendingInits[0] - sc.recvInitWin
		sc.recvInitWin, sc.pendingInits = sc.pendingInits[0], sc.pendingInits[1:]
		if delta < 0 {
			for _, s := range sc.streams {
				s.recvWin += delta
			}
		}
	}
}

// limit is the number of concurrent streams the client may have open:
// the acknowledged value, or a larger pending one (the client may act on
// a raised limit before its ACK reaches us).
func (sc *serverConn) limit() uint32 {
	lim := sc.ackedMax
	for _, p := range sc.pendingMax {
		if p == 0 || lim != 0 && p > lim {
			lim = p
		}
	}
	return lim
}

func (sc *serverConn) onHeaders(f *http2.MetaHeadersFrame) error {
	id := f.StreamID
	if id <= sc.lastStream || id%2 == 0 {
		sc.s.violation("HEADERS on stream %d after stream %d", id, sc.lastStream)
		return nil
	}
	sc.lastStream = id
	if sc.goneAway {
		// Above the GOAWAY's last-stream-id: ignored (RFC 9113 §6.8).
		// Not a violation: the client may have sent it before the GOAWAY
		// arrived.
		return nil
	}
	sc.nreq++
	n := sc.nreq
	// Every stream in the map is open until its END_STREAM or RST_STREAM
	// is sent, which the client sees later still: no false alarms.
	open := len(sc.streams) + 1
	req := Request{Method: f.PseudoValue("method"), Scheme: f.PseudoValue("scheme"),
		Authority: f.PseudoValue("authority"), Path: f.PseudoValue("path"), Header: map[string][]string{}}
	for _, hf := range f.RegularFields() {
		req.Header[hf.Name] = append(req.Header[hf.Name], hf.Value)
	}
	if msg := checkRequest(&req); msg != "" {
		sc.s.violation("stream %d: %s", id, msg)
	}
	if lim := sc.limit(); lim != 0 && open > int(lim) {
		sc.s.violation("stream %d: %d streams open, SETTINGS_MAX_CONCURRENT_STREAMS %d", id, open, lim)
	}
	sc.s.count(func(st *Stats) {
		if n == 1 {
			st.ReqConns++
		}
		st.Streams++
		st.MaxConcurrent = max(st.MaxConcurrent, open)
	})
	s := &stream{id: id, req: req, recvWin: sc.recvInitWin, sendWin: sc.peerInitWin, done: f.StreamEnded()}
	sc.streams[id] = s

	if sc.b.GoAwayAfter > 0 && n == sc.b.GoAwayAfter {
		last := id
		if sc.b.GoAwayLow {
			last = id - 2
			delete(sc.streams, id) // abandoned, never answered
		}
		sc.goneAway, sc.goAwayLast = true, last
		sc.s.count(func(st *Stats) { st.GoAways++ })
		if err := sc.fr.WriteGoAway(last, sc.b.GoAwayCode, []byte("h2fault")); err != nil {
			return err
		}
		if sc.b.GoAwayLow {
			sc.maybeClose()
			return nil
		}
	}
	if sc.b.SettingsAfter > 0 && n == sc.b.SettingsAfter {
		var set []http2.Setting
		if sc.b.NewMaxStreams > 0 {
			set = append(set, http2.Setting{ID: http2.SettingMaxConcurrentStreams, Val: sc.b.NewMaxStreams})
			sc.pendingMax = append(sc.pendingMax, sc.b.NewMaxStreams)
			sc.sentMax = sc.b.NewMaxStreams
		} else {
			sc.pendingMax = append(sc.pendingMax, sc.sentMax)
		}
		init := sc.recvInitWin
		if sc.b.NewInitialWindow > 0 {
			init = int64(sc.b.NewInitialWindow)
			set = append(set, http2.Setting{ID: http2.SettingInitialWindowSize, Val: sc.b.NewInitialWindow})
			if delta := init - sc.recvInitWin; delta > 0 {
				// A raise applies at once: the client may use it before
				// acknowledging.
				for _, st := range sc.streams {
					st.recvWin += delta
				}
				sc.recvInitWin = init
			}
		}
		sc.pendingInits = append(sc.pendingInits, init)
		sc.unacked++
		sc.s.count(func(st *Stats) { st.Settings++ })
		if err := sc.fr.WriteSettings(set...); err != nil {
			return err
		}
	}
	if sc.b.PingEvery > 0 && n%sc.b.PingEvery == 0 && !sc.pingPending {
		sc.pingData = [8]byte{'h', '2', 'f', byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n), 1}
		sc.pingPending = true
		sc.s.count(func(st *Stats) { st.Pings++ })
		if err := sc.fr.WritePing(false, sc.pingData); err != nil {
			return err
		}
	}
	if s.done {
		return sc.respond(s, n)
	}
	return nil
}

// checkRequest returns what is wrong with a decoded request header block,
// beyond what the Framer itself rejects (pseudo-header order, upper case).
func checkRequest(r *Request) string {
	switch {
	case r.Method == "":
		return "no :method"
	case r.Scheme == "":
		return "no :scheme"
	case r.Path == "":
		return "no :path"
	case r.Authority == "":
		return "no :authority"
	}
	for name, vals := range r.Header {
		if name != strings.ToLower(name) {
			return "upper-case header " + name
		}
		switch name {
		case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host":
			return "connection-specific header " + name
		case "te":
			if len(vals) != 1 || vals[0] != "trailers" {
				return "te other than trailers"
			}
		}
	}
	return ""
}

func (sc *serverConn) onData(f *http2.DataFrame) error {
	s := sc.streams[f.StreamID]
	n := int64(f.Length) // padding counts against flow control
	if s == nil {
		// A stream reset, abandoned or already answered: the bytes still
		// consumed connection window; give it back.
		if n > 0 {
			return sc.fr.WriteWindowUpdate(0, uint32(n))
		}
		return nil
	}
	// A SETTINGS change may leave a window negative (RFC 9113 §6.9.2): an
	// empty DATA frame, such as a lone END_STREAM, is still allowed then.
	if n > 0 && n > s.recvWin {
		sc.s.violation("stream %d: DATA beyond the flow-control window (%d bytes over)", s.id, n-s.recvWin)
	}
	s.recvWin -= n
	if len(s.body)+len(f.Data()) <= 1<<20 {
		s.body = append(s.body, f.Data()...)
	}
	if n > 0 {
		// Grant the window back: with Trickle one byte at a time for the
		// stream (the client has to wait for each), at once otherwise.
		if err := sc.fr.WriteWindowUpdate(0, uint32(n)); err != nil {
			return err
		}
		if !f.StreamEnded() {
			if sc.b.Trickle {
				for range n {
					s.recvWin++
					if err := sc.fr.WriteWindowUpdate(s.id, 1); err != nil {
						return err
					}
				}
			} else {
				s.recvWin += n
				if err := sc.fr.WriteWindowUpdate(s.id, uint32(n)); err != nil {
					return err
				}
			}
		}
	}
	if f.StreamEnded() {
		s.done = true
		s.req.Body = s.body
		return sc.respond(s, sc.nreq)
	}
	return nil
}

// respond answers stream s (the connection's nth request): a reset, a
// delayed or an immediate response.
func (sc *serverConn) respond(s *stream, n int) error {
	sc.s.mu.Lock()
	if len(sc.s.stats.Requests) < maxRecorded {
		sc.s.stats.Requests = append(sc.s.stats.Requests, s.req)
	}
	sc.s.mu.Unlock()
	if sc.b.ResetEvery > 0 && n%sc.b.ResetEvery == 0 {
		code := sc.b.ResetCode
		if code == 0 {
			code = http2.ErrCodeRefusedStream
		}
		delete(sc.streams, s.id)
		sc.s.count(func(st *Stats) { st.Resets++ })
		if err := sc.fr.WriteRSTStream(s.id, code); err != nil {
			return err
		}
		sc.maybeClose()
		return nil
	}
	if sc.b.Delay > 0 {
		time.AfterFunc(sc.b.Delay, func() {
			sc.mu.Lock()
			defer sc.mu.Unlock()
			if sc.streams[s.id] == s {
				_ = sc.writeResponse(s)
			}
		})
		return nil
	}
	return sc.writeResponse(s)
}

func (sc *serverConn) writeResponse(s *stream) error {
	switch {
	case sc.b.ContinuationFlood:
		return sc.flood(s)
	case sc.b.HPACKBomb:
		return sc.bomb(s)
	}
	size := sc.b.BodySize
	body := []byte("ok")
	if size > 0 {
		body = bytes.Repeat([]byte("x"), size)
	}
	enc := func(name, value string) { _ = sc.henc.WriteField(hpack.HeaderField{Name: name, Value: value}) }
	if sc.b.PushPromise {
		sc.hbuf.Reset()
		enc(":method", "GET")
		enc(":scheme", s.req.Scheme)
		enc(":authority", s.req.Authority)
		enc(":path", "/pushed")
		if err := sc.fr.WritePushPromise(http2.PushPromiseParam{StreamID: s.id, PromiseID: sc.nextPush(),
			BlockFragment: sc.hbuf.Bytes(), EndHeaders: true}); err != nil {
			return err
		}
	}
	if sc.b.EarlyHints {
		sc.hbuf.Reset()
		enc(":status", "103")
		enc("link", "</style.css>; rel=preload; as=style")
		if err := sc.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: s.id, BlockFragment: sc.hbuf.Bytes(), EndHeaders: true}); err != nil {
			return err
		}
	}
	sc.hbuf.Reset()
	enc(":status", "200")
	enc("content-type", "text/plain")
	enc("content-length", strconv.Itoa(len(body)))
	enc("set-cookie", "a=1")
	enc("set-cookie", "b=2")
	enc("x-h2fault-path", s.req.Path)
	if sc.b.ContinuationChunk > 0 {
		// Long, incompressible values so the block spans several frames
		// (indexing is off so that every response repeats them).
		for i := range 8 {
			_ = sc.henc.WriteField(hpack.HeaderField{Name: "x-filler-" + strconv.Itoa(i),
				Value: strings.Repeat(strconv.Itoa(i)+"abcdefgh", 8), Sensitive: true})
		}
	}
	block := sc.hbuf.Bytes()
	chunk := len(block)
	if sc.b.ContinuationChunk > 0 {
		chunk = sc.b.ContinuationChunk
	}
	first := min(chunk, len(block))
	if err := sc.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: s.id, BlockFragment: block[:first],
		EndHeaders: first == len(block)}); err != nil {
		return err
	}
	for rest := block[first:]; len(rest) > 0; {
		k := min(chunk, len(rest))
		if err := sc.fr.WriteContinuation(s.id, k == len(rest), rest[:k]); err != nil {
			return err
		}
		rest = rest[k:]
	}
	s.sending = true
	s.pending = body
	return sc.flushStream(s)
}

// nextPush returns the next even stream ID for a PUSH_PROMISE.
func (sc *serverConn) nextPush() uint32 {
	sc.pushID += 2
	return sc.pushID
}

// flood writes a header block that never ends.
func (sc *serverConn) flood(s *stream) error {
	if err := sc.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: s.id, BlockFragment: []byte{0x88}}); err != nil {
		return err
	}
	// 0x9c: static table entry 28, "content-length" with an empty value,
	// a complete field per byte.
	chunk := bytes.Repeat([]byte{0x9c}, 16384)
	written := 0
	defer func() {
		sc.s.count(func(st *Stats) { st.FloodBytes = max(st.FloodBytes, written) })
	}()
	for written < FloodLimit {
		if err := sc.fr.WriteContinuation(s.id, false, chunk); err != nil {
			return err
		}
		written += len(chunk)
	}
	return nil
}

// bomb answers with a header block that decodes to 16 MB.
func (sc *serverConn) bomb(s *stream) error {
	if !sc.bombed {
		// The first block inserts the field (the encoder indexes it: it is
		// then the newest dynamic entry, index 62) and refers to it too.
		sc.bombed = true
		sc.hbuf.Reset()
		_ = sc.henc.WriteField(hpack.HeaderField{Name: ":status", Value: "200"})
		_ = sc.henc.WriteField(hpack.HeaderField{Name: "x-bomb", Value: strings.Repeat("b", 4000)})
	} else {
		sc.hbuf.Reset()
		sc.hbuf.WriteByte(0x88) // :status 200
	}
	for range 4000 {
		sc.hbuf.WriteByte(0x80 | 62)
	}
	block := sc.hbuf.Bytes()
	first := true
	for len(block) > 0 {
		k := min(len(block), int(sc.peerMaxFrame))
		var err error
		if first {
			err = sc.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: s.id, BlockFragment: block[:k], EndHeaders: k == len(block)})
		} else {
			err = sc.fr.WriteContinuation(s.id, k == len(block), block[:k])
		}
		if err != nil {
			return err
		}
		first, block = false, block[k:]
	}
	s.sending = true
	s.pending = []byte("ok")
	return sc.flushStream(s)
}

// flush sends what the windows allow of every pending response.
func (sc *serverConn) flush() {
	for _, s := range sc.streams {
		if s.sending {
			if err := sc.flushStream(s); err != nil {
				return
			}
		}
	}
}

func (sc *serverConn) flushStream(s *stream) error {
	pad := sc.b.Padding
	overhead := int64(0)
	if pad > 0 {
		overhead = int64(pad) + 1
	}
	for len(s.pending) > 0 {
		room := min(s.sendWin, sc.connSendWin, int64(sc.peerMaxFrame)) - overhead
		if room <= 0 {
			return nil
		}
		k := min(int64(len(s.pending)), room)
		if sc.b.OversizeFrame {
			// Ignore the frame size (the window still holds).
			k = min(int64(len(s.pending)), s.sendWin, sc.connSendWin)
		}
		last := k == int64(len(s.pending))
		end := last && !sc.b.Trailers
		var err error
		if pad > 0 {
			err = sc.fr.WriteDataPadded(s.id, end, s.pending[:k], make([]byte, pad))
		} else {
			err = sc.fr.WriteData(s.id, end, s.pending[:k])
		}
		if err != nil {
			return err
		}
		s.sendWin -= k + overhead
		sc.connSendWin -= k + overhead
		s.pending = s.pending[k:]
		if last && sc.b.Trailers {
			sc.hbuf.Reset()
			_ = sc.henc.WriteField(hpack.HeaderField{Name: "x-trailer", Value: "done"})
			if err := sc.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: s.id, BlockFragment: sc.hbuf.Bytes(),
				EndHeaders: true, EndStream: true}); err != nil {
				return err
			}
			end = true
		}
		if end {
			sc.finish(s)
			return nil
		}
	}
	return nil
}

func (sc *serverConn) finish(s *stream) {
	delete(sc.streams, s.id)
	sc.s.count(func(st *Stats) { st.Served++ })
	sc.maybeClose()
}

// maybeClose closes the connection after a GOAWAY once every stream up to
// its last-stream-id is answered.
func (sc *serverConn) maybeClose() {
	if !sc.goneAway {
		return
	}
	for id := range sc.streams {
		if id <= sc.goAwayLast {
			return
		}
	}
	sc.closing = true
	// Wake the reader (this may run on a Delay timer) so that serve
	// shuts the connection down.
	_ = sc.c.SetReadDeadline(time.Now())
}

// shutdown closes the connection gracefully: a FIN after everything
// written, then the client's remaining frames are read and dropped until
// it closes too (bounded), so that no RST destroys responses in flight.
func (sc *serverConn) shutdown() {
	if cw, ok := sc.c.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	_ = sc.c.SetReadDeadline(time.Now().Add(time.Second))
	_, _ = io.Copy(io.Discard, sc.c)
}

// lockedWriter serialises writes of several connections to one Tee.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
