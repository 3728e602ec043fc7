package h2

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	"golang.org/x/net/http2/hpack"
)

// Windows wrkrun opens (RFC 9113 §6.9): large enough that a server never
// waits on the client, which reads everything as it arrives and keeps
// nothing but what a response hook asks for. They are replenished once
// half is used, so a WINDOW_UPDATE costs nothing per response.
const (
	recvWindow      = 1 << 30
	defaultWindow   = 65535
	maxHeaderList   = 1 << 20  // decoded header bytes per block (RFC 9113 §6.5.2's size)
	maxOutBuffered  = 1 << 20  // queued output before the peer counts as not reading
	bodyChunk       = 64 << 10 // request body queued at a time; the rest when it is written
	maxStreamID     = 1<<31 - 1
	headerTableSize = 4096
	// unlimited is SETTINGS_MAX_CONCURRENT_STREAMS before the peer says.
	unlimited = 1<<32 - 1
)

// ErrNotHTTP2 is the connection error when the server's first bytes are
// not the SETTINGS frame that starts every HTTP/2 server's preface
// (RFC 9113 §3.4): typically an HTTP/1.1 server answering h2c's preface.
var ErrNotHTTP2 = errors.New("http2: the server does not speak HTTP/2")

// ErrNotReading is the connection error when the peer does not read what
// it makes the client queue (PING or SETTINGS acknowledgements).
var ErrNotReading = errors.New("http2: peer does not read its input")

// Handler sees what happens to the streams while Conn.Feed runs. It must
// not call Open; streams are opened after Feed returns.
type Handler interface {
	// Header is a response header field of stream s (names are
	// lowercase, as HTTP/2 sends them); only called when Config.Headers.
	Header(s *Stream, name, value string)
	// Data is response body data; only called when Config.Headers.
	Data(s *Stream, b []byte)
	// Done: the response is complete (s.Status is set). s is freed
	// after the call.
	Done(s *Stream)
	// Reset: the stream ended without a response: RST_STREAM from the
	// peer (code), a malformed response (the client reset it) or a
	// GOAWAY that excluded it. Unprocessed is true when the peer
	// guarantees it did not act on the request (REFUSED_STREAM, or
	// above GOAWAY's last stream ID), so it may be sent again.
	Reset(s *Stream, code ErrCode, unprocessed bool)
}

// Config is a connection's local limits.
type Config struct {
	MaxStreams int  // concurrent streams the client opens at most (-m), ≥ 1
	Headers    bool // deliver response headers and bodies to the Handler
	// Cache is shared by the connections of one goroutine; nil gives
	// the connection its own.
	Cache *Cache
}

// Stream is one request/response exchange. Streams live in the
// connection's slot table; a pointer is valid until the Handler's Done or
// Reset returns.
type Stream struct {
	ID   uint32
	Slot int // index in the slot table, for per-stream state of the caller
	// Start is the latency origin, SentAt the real send time; the caller
	// sets them.
	Start, SentAt time.Time
	Status        int

	sendWin  int64
	recvUsed int64 // DATA octets received since the last WINDOW_UPDATE
	body     []byte
	bodyOff  int
	inUse    bool
	gotFinal bool // a final (non-1xx) HEADERS arrived
	sentEnd  bool // END_STREAM sent
}

// Conn is the state of one HTTP/2 client connection.
type Conn struct {
	cfg Config
	h   Handler

	out    []byte // queued output; out[off:] is unwritten
	off    int
	rd     Reader
	f      Frame
	enc    *hpack.Encoder
	encBuf appendWriter
	dec    *decoder
	hdrBuf []byte // a header block split over CONTINUATION frames
	emitFn func(name, value string)
	// hdr* is the header block being received: its stream (nil for
	// one of a stream no longer known, decoded only to keep the HPACK
	// table in step) and its size so far.
	hdr      *Stream
	hdrBytes int
	hdrRaw   int // encoded octets of the block so far
	hdrErr   error
	hdrEnd   bool // the block's HEADERS carried END_STREAM

	streams   []Stream
	active    int
	blocked   int // open streams with request body waiting for window
	nextID    uint32
	gotSet    bool
	sawFrame  bool // the server's first frame arrived
	peerMax   uint32
	peerWin   int64 // SETTINGS_INITIAL_WINDOW_SIZE for our streams
	peerFrame int
	sendWin   int64
	recvUsed  int64 // connection-level DATA octets since the last WINDOW_UPDATE
	goAway    bool
	goAwayID  uint32
	goAwayErr ErrCode

	static      []byte // the static request's cached block (see StaticBlock)
	staticState int    // see StaticBlock

	cache *Cache
}

// NewConn returns a connection's state; Start begins each connection.
func NewConn(cfg Config, h Handler) *Conn {
	cfg.MaxStreams = max(cfg.MaxStreams, 1)
	if cfg.Cache == nil {
		cfg.Cache = NewCache()
	}
	c := &Conn{cfg: cfg, h: h, streams: make([]Stream, cfg.MaxStreams), cache: cfg.Cache,
		dec: newDecoder(headerTableSize, maxHeaderList, cfg.Cache)}
	c.emitFn = c.emit
	for i := range c.streams {
		c.streams[i].Slot = i
	}
	return c
}

// Start resets the state for a new connection and queues the client
// preface: SETTINGS (no push, large stream windows) and a WINDOW_UPDATE
// raising the connection window.
func (c *Conn) Start() {
	c.out, c.off = c.out[:0], 0
	c.rd.Reset()
	c.encBuf.b = c.encBuf.b[:0]
	// A fresh HPACK context per connection (both tables start empty).
	c.enc = hpack.NewEncoder(&c.encBuf)
	c.dec.reset()
	c.hdr, c.hdrBytes, c.hdrErr = nil, 0, nil
	c.hdrBuf = c.hdrBuf[:0]
	for i := range c.streams {
		s := &c.streams[i]
		*s = Stream{Slot: i, body: s.body[:0]}
	}
	c.active, c.blocked = 0, 0
	c.nextID = 1
	c.gotSet, c.sawFrame = false, false
	c.peerMax, c.peerWin, c.peerFrame = unlimited, defaultWindow, DefaultMaxFrameSize
	c.sendWin = defaultWindow
	c.recvUsed = 0
	c.goAway, c.goAwayID, c.goAwayErr = false, 0, 0
	c.static, c.staticState = c.static[:0], 0

	c.out = append(c.out, ClientPreface...)
	c.out = AppendSettings(c.out,
		Setting{SettingEnablePush, 0},
		Setting{SettingInitialWindowSize, recvWindow},
		Setting{SettingMaxHeaderListSize, maxHeaderList})
	c.out = AppendWindowUpdate(c.out, 0, recvWindow-defaultWindow)
}

// Pending is the output not written yet.
func (c *Conn) Pending() []byte { return c.out[c.off:] }

// Wrote records that n bytes of Pending were written.
func (c *Conn) Wrote(n int) {
	c.off += n
	if c.off >= len(c.out) {
		c.out, c.off = c.out[:0], 0
		c.flushBodies() // bodies waiting for the output, not for a window
	}
}

// GotSettings reports whether the server's SETTINGS arrived: the
// connection speaks HTTP/2.
func (c *Conn) GotSettings() bool { return c.gotSet }

// Active is the number of open streams.
func (c *Conn) Active() int { return c.active }

// GoingAway reports whether the peer sent GOAWAY, and its code.
func (c *Conn) GoingAway() (bool, ErrCode) { return c.goAway, c.goAwayErr }

// Limit is how many streams may be open now: the local maximum, the
// peer's SETTINGS_MAX_CONCURRENT_STREAMS, and one until the peer's
// SETTINGS arrive (a server may allow fewer than the client wants; the
// first request does not wait for its SETTINGS).
func (c *Conn) Limit() int {
	if !c.gotSet {
		return 1
	}
	return int(min(uint32(len(c.streams)), c.peerMax))
}

// CanOpen reports whether a new stream may be opened now.
func (c *Conn) CanOpen() bool {
	return !c.goAway && c.active < c.Limit() && c.nextID <= maxStreamID && len(c.out)-c.off < maxOutBuffered
}

// Streams returns the slot table; open streams have ID != 0.
func (c *Conn) Streams() []Stream { return c.streams }

// Open starts a stream with the header block (from EncodeRequest or
// StaticBlock, encoded just before: HPACK blocks must be sent in the order
// they are encoded) and an optional body, which is copied and sent as the
// peer's windows allow. The caller checked CanOpen.
func (c *Conn) Open(block, body []byte) *Stream {
	// The stream's home slot when free (lookup tries it first), else
	// the first free one.
	s := &c.streams[c.home(c.nextID)]
	if s.inUse {
		for i := range c.streams {
			if !c.streams[i].inUse {
				s = &c.streams[i]
				break
			}
		}
	}
	*s = Stream{ID: c.nextID, Slot: s.Slot, inUse: true, sendWin: c.peerWin, body: append(s.body[:0], body...)}
	c.nextID += 2
	c.active++
	c.out = AppendHeaders(c.out, s.ID, len(body) == 0, block, c.peerFrame)
	s.sentEnd = len(body) == 0
	if !s.sentEnd {
		c.blocked++
		c.sendBody(s)
	}
	return s
}

// sendBody queues as much of s's body as the windows allow.
func (c *Conn) sendBody(s *Stream) {
	for !s.sentEnd {
		if len(c.out)-c.off >= bodyChunk {
			return // Wrote queues more once this is written
		}
		n := int64(len(s.body) - s.bodyOff)
		n = min(n, s.sendWin, c.sendWin, int64(c.peerFrame))
		if n <= 0 && len(s.body) > s.bodyOff {
			return // waits for WINDOW_UPDATE
		}
		end := s.bodyOff+int(n) == len(s.body)
		c.out = AppendData(c.out, s.ID, end, s.body[s.bodyOff:s.bodyOff+int(n)])
		s.bodyOff += int(n)
		s.sendWin -= n
		c.sendWin -= n
		if end {
			s.sentEnd = true
			c.blocked--
		}
	}
}

// EncodeRequest HPACK-encodes r's fields with the connection's encoder
// and returns the block, valid until the next encoding. scheme is "http"
// or "https"; r.Authority defaults to authority.
func (c *Conn) EncodeRequest(r *Request, scheme, authority string) []byte {
	c.encBuf.b = c.encBuf.b[:0]
	c.write(":method", r.Method)
	c.writeS(":scheme", scheme)
	if r.Authority != nil {
		c.write(":authority", r.Authority)
	} else {
		c.writeS(":authority", authority)
	}
	c.write(":path", r.Path)
	for _, f := range r.Fields {
		c.writeF(f.Name, f.Value)
	}
	return c.encBuf.b
}

// StaticBlock returns the block of a request sent on every stream (no
// request() hook). Once every field is in the connection's dynamic table,
// encoding the same list again neither changes the table nor the result,
// so the block is cached from then on and the hot path does no HPACK
// work; a list whose encoding does not settle is encoded every time.
func (c *Conn) StaticBlock(r *Request, scheme, authority string) []byte {
	switch {
	case c.staticState == staticStable:
		return c.static
	case c.staticState >= staticUnstable:
		return c.EncodeRequest(r, scheme, authority)
	}
	b := c.EncodeRequest(r, scheme, authority)
	if c.staticState > 0 && string(b) == string(c.static) {
		c.staticState = staticStable
		return b
	}
	// The first encoding inserts into the table and differs from the
	// next; a list larger than the table keeps evicting and never
	// settles.
	c.static = append(c.static[:0], b...)
	c.staticState++
	return b
}

// staticState values: 0 … staticUnstable-1 encodings seen without two
// equal ones in a row.
const (
	staticStable   = -1
	staticUnstable = 4
)

// str returns b as a string for the encoder, which keeps the strings it
// indexes: repeated names and values come from a bounded intern table
// instead of a new allocation per request.
func (c *Conn) str(b []byte) string {
	if s, ok := c.cache.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	remember(c.cache.intern, s, s)
	return s
}

func (c *Conn) write(name string, v []byte) { c.writeS(name, c.str(v)) }
func (c *Conn) writeF(name, v []byte)       { c.writeS(c.str(name), c.str(v)) }
func (c *Conn) writeS(name, v string) {
	// appendWriter.Write cannot fail.
	_ = c.enc.WriteField(hpack.HeaderField{Name: name, Value: v})
}

type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// Feed processes bytes read from the connection. A returned error is a
// connection error: a GOAWAY is queued (the caller may still flush it)
// and the connection must be closed. Streams the peer reset or refused
// were reported to the Handler.
func (c *Conn) Feed(b []byte) error {
	if !c.gotSet && !c.sawFrame && c.rd.Buffered() == 0 && len(b) > 0 {
		if notHTTP2(b) {
			return c.fail(fmt.Errorf("%w: it answered %q", ErrNotHTTP2, firstLine(b)))
		}
	}
	c.rd.Feed(b)
	for {
		ok, err := c.rd.Next(&c.f)
		if err != nil {
			var se *StreamError
			if errors.As(err, &se) {
				c.resetStream(se.StreamID, se.Code)
				continue
			}
			return c.fail(err)
		}
		if !ok {
			break
		}
		if !c.sawFrame {
			c.sawFrame = true
			if c.f.Type != FrameSettings || c.f.Flags.Has(FlagAck) {
				return c.fail(fmt.Errorf("%w: its first frame is %v, not SETTINGS", ErrNotHTTP2, c.f.Type))
			}
		}
		if err := c.handle(&c.f); err != nil {
			return c.fail(err)
		}
	}
	if len(c.out)-c.off > maxOutBuffered {
		return c.fail(ErrNotReading)
	}
	return nil
}

func (c *Conn) fail(err error) error {
	code := ErrCodeInternal
	var ce *ConnError
	if errors.As(err, &ce) {
		code = ce.Code
	}
	switch {
	case errors.Is(err, ErrNotReading):
		code = ErrCodeEnhanceYourCalm
	case errors.Is(err, ErrNotHTTP2):
		code = ErrCodeProtocol
	}
	c.out = AppendGoAway(c.out, 0, code, nil)
	return err
}

// notHTTP2 reports whether a server's first bytes are not a frame:
// an HTTP/1.x status line. (A frame cannot start with "HTTP/": its
// length would exceed every maximum frame size.)
func notHTTP2(b []byte) bool {
	const status = "HTTP/"
	n := min(len(b), len(status))
	return string(b[:n]) == status[:n]
}

// firstLine is the start of b's first line, for a message.
func firstLine(b []byte) []byte {
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b = b[:i]
	}
	return b[:min(len(b), 80)]
}

// lookup finds an open stream; nil for a closed or never opened one.
func (c *Conn) lookup(id uint32) *Stream {
	if s := &c.streams[c.home(id)]; s.inUse && s.ID == id {
		return s
	}
	for i := range c.streams {
		if s := &c.streams[i]; s.inUse && s.ID == id {
			return s
		}
	}
	return nil
}

// home is the slot a stream ID prefers: client streams are odd and
// consecutive, so with streams ending roughly in order each finds its
// slot free and is found there without a scan.
func (c *Conn) home(id uint32) int { return int(id>>1) % len(c.streams) }

// idle reports whether id was never opened by the client.
func (c *Conn) idle(id uint32) bool { return id&1 == 0 || id >= c.nextID }

func (c *Conn) free(s *Stream) {
	if !s.sentEnd {
		c.blocked--
	}
	s.inUse = false
	s.ID = 0
	c.active--
}

// resetStream resets a stream the client found malformed.
func (c *Conn) resetStream(id uint32, code ErrCode) {
	c.out = AppendRSTStream(c.out, id, code)
	if s := c.lookup(id); s != nil {
		c.h.Reset(s, code, false)
		c.free(s)
	}
}

func (c *Conn) handle(f *Frame) error {
	switch f.Type {
	case FrameData:
		return c.onData(f)
	case FrameHeaders:
		if c.idle(f.StreamID) {
			return connErr(ErrCodeProtocol, "HEADERS on stream %d, which the client did not open", f.StreamID)
		}
		c.hdr = c.lookup(f.StreamID)
		c.hdrBytes, c.hdrRaw, c.hdrErr = 0, 0, nil
		c.hdrEnd = f.Flags.Has(FlagEndStream)
		return c.headerFragment(f)
	case FrameContinuation:
		return c.headerFragment(f)
	case FrameRSTStream:
		if c.idle(f.StreamID) {
			return connErr(ErrCodeProtocol, "RST_STREAM on idle stream %d", f.StreamID)
		}
		if s := c.lookup(f.StreamID); s != nil {
			c.h.Reset(s, f.ErrCode, f.ErrCode == ErrCodeRefusedStream)
			c.free(s)
		}
	case FrameSettings:
		if f.Flags.Has(FlagAck) {
			return nil
		}
		return c.onSettings(f)
	case FramePushPromise:
		return connErr(ErrCodeProtocol, "PUSH_PROMISE although SETTINGS_ENABLE_PUSH is 0")
	case FramePing:
		if !f.Flags.Has(FlagAck) {
			c.out = AppendPing(c.out, true, [8]byte(f.Data))
		}
	case FrameGoAway:
		c.onGoAway(f)
	case FrameWindowUpdate:
		return c.onWindowUpdate(f)
	}
	return nil // PRIORITY and unknown types are ignored
}

func (c *Conn) onData(f *Frame) error {
	if c.idle(f.StreamID) {
		return connErr(ErrCodeProtocol, "DATA on stream %d, which the client did not open", f.StreamID)
	}
	// Flow control counts the whole payload, padding included.
	n := int64(f.Length)
	c.recvUsed += n
	if c.recvUsed > recvWindow {
		return connErr(ErrCodeFlowControl, "DATA beyond the connection window")
	}
	if c.recvUsed >= recvWindow/2 {
		c.out = AppendWindowUpdate(c.out, 0, uint32(c.recvUsed))
		c.recvUsed = 0
	}
	s := c.lookup(f.StreamID)
	if s == nil {
		return nil // a stream already reset or completed
	}
	if !s.gotFinal {
		c.resetStream(s.ID, ErrCodeProtocol) // DATA before the response's HEADERS
		return nil
	}
	s.recvUsed += n
	if s.recvUsed > recvWindow {
		c.resetStream(s.ID, ErrCodeFlowControl)
		return nil
	}
	if s.recvUsed >= recvWindow/2 && !f.Flags.Has(FlagEndStream) {
		c.out = AppendWindowUpdate(c.out, s.ID, uint32(s.recvUsed))
		s.recvUsed = 0
	}
	if c.cfg.Headers && len(f.Data) > 0 {
		c.h.Data(s, f.Data)
	}
	if f.Flags.Has(FlagEndStream) {
		c.done(s)
	}
	return nil
}

// done completes a stream whose response ended.
func (c *Conn) done(s *Stream) {
	if !s.sentEnd {
		// The server answered before the body was sent: stop sending.
		c.out = AppendRSTStream(c.out, s.ID, ErrCodeCancel)
	}
	c.h.Done(s)
	c.free(s)
}

// headerFragment decodes a HEADERS or CONTINUATION fragment; every block
// is decoded, even a closed stream's, to keep the HPACK table in step.
func (c *Conn) headerFragment(f *Frame) error {
	// The whole block must be decoded to keep the HPACK table in step,
	// so one larger than the header list size wrkrun announced (an
	// endless CONTINUATION stream) ends the connection.
	c.hdrRaw += len(f.Data)
	if c.hdrRaw > maxHeaderList {
		return connErr(ErrCodeEnhanceYourCalm, "header block above %d octets", maxHeaderList)
	}
	block := f.Data
	if f.Type == FrameContinuation || !f.Flags.Has(FlagEndHeaders) {
		c.hdrBuf = append(c.hdrBuf, f.Data...)
		if !f.Flags.Has(FlagEndHeaders) {
			return nil
		}
		block = c.hdrBuf
	}
	err := c.dec.decode(block, c.emitFn)
	c.hdrBuf = c.hdrBuf[:0]
	if cap(c.hdrBuf) > 64<<10 {
		c.hdrBuf = nil // a rare huge block does not stay with the connection
	}
	if err != nil {
		return connErr(ErrCodeCompression, "%v", err)
	}
	s := c.hdr
	c.hdr = nil
	if s == nil {
		return nil
	}
	if c.hdrErr != nil || s.Status == 0 && !s.gotFinal {
		c.resetStream(s.ID, ErrCodeProtocol)
		return nil
	}
	if !s.gotFinal {
		switch {
		case s.Status >= 200:
			s.gotFinal = true
		case c.hdrEnd:
			c.resetStream(s.ID, ErrCodeProtocol) // an interim response cannot end the stream
			return nil
		default:
			s.Status = 0 // 1xx: the final response follows
			return nil
		}
	}
	if c.hdrEnd {
		c.done(s)
	}
	return nil
}

// emit is the HPACK decoder's callback for each field.
func (c *Conn) emit(name, value string) {
	hf := hpack.HeaderField{Name: name, Value: value}
	c.hdrBytes += len(hf.Name) + len(hf.Value) + 32
	s := c.hdr
	if s == nil || c.hdrErr != nil {
		return
	}
	if c.hdrBytes > maxHeaderList {
		c.hdrErr = errors.New("header list too large")
		return
	}
	if len(hf.Name) > 0 && hf.Name[0] == ':' {
		if s.gotFinal || hf.Name != ":status" {
			c.hdrErr = errors.New("unexpected pseudo-header " + hf.Name)
			return
		}
		st, err := strconv.Atoi(hf.Value)
		if err != nil || st < 100 || st > 999 || len(hf.Value) != 3 {
			c.hdrErr = errors.New("bad :status")
			return
		}
		s.Status = st
		return
	}
	if s.Status == 0 && !s.gotFinal {
		c.hdrErr = errors.New("field before :status")
		return
	}
	if c.cfg.Headers && (s.gotFinal || s.Status >= 200) {
		c.h.Header(s, hf.Name, hf.Value)
	}
}

func (c *Conn) onSettings(f *Frame) error {
	for i := 0; i < f.NumSettings(); i++ {
		id, v := f.Setting(i)
		switch id {
		case SettingHeaderTableSize:
			c.enc.SetMaxDynamicTableSizeLimit(v)
			c.staticState, c.static = 0, c.static[:0] // the table may shrink
		case SettingMaxConcurrentStreams:
			c.peerMax = v
		case SettingInitialWindowSize:
			delta := int64(v) - c.peerWin
			c.peerWin = int64(v)
			for j := range c.streams {
				if s := &c.streams[j]; s.inUse {
					s.sendWin += delta
					if s.sendWin > maxWindow {
						return connErr(ErrCodeFlowControl, "SETTINGS_INITIAL_WINDOW_SIZE overflows stream %d's window", s.ID)
					}
				}
			}
		case SettingMaxFrameSize:
			if v < DefaultMaxFrameSize || v > 1<<24-1 {
				return connErr(ErrCodeProtocol, "SETTINGS_MAX_FRAME_SIZE %d", v)
			}
			c.peerFrame = int(v)
		case SettingEnablePush:
			if v > 1 {
				return connErr(ErrCodeProtocol, "SETTINGS_ENABLE_PUSH %d", v)
			}
		}
	}
	c.gotSet = true
	c.out = AppendSettingsAck(c.out)
	c.flushBodies()
	return nil
}

func (c *Conn) onWindowUpdate(f *Frame) error {
	if f.StreamID == 0 {
		c.sendWin += int64(f.Value)
		if c.sendWin > maxWindow {
			return connErr(ErrCodeFlowControl, "connection window above 2^31-1")
		}
		c.flushBodies()
		return nil
	}
	s := c.lookup(f.StreamID)
	if s == nil {
		return nil
	}
	s.sendWin += int64(f.Value)
	if s.sendWin > maxWindow {
		c.resetStream(s.ID, ErrCodeFlowControl)
		return nil
	}
	c.sendBody(s)
	return nil
}

// flushBodies sends what the windows now allow of waiting bodies.
func (c *Conn) flushBodies() {
	if c.blocked == 0 {
		return
	}
	for i := range c.streams {
		if s := &c.streams[i]; s.inUse && !s.sentEnd {
			c.sendBody(s)
		}
	}
}

// onGoAway stops new streams; open streams above the last stream ID were
// not processed and are handed back.
func (c *Conn) onGoAway(f *Frame) {
	if !c.goAway || f.Value < c.goAwayID {
		c.goAwayID = f.Value
	}
	c.goAway = true
	if f.ErrCode != ErrCodeNo {
		c.goAwayErr = f.ErrCode
	}
	for i := range c.streams {
		if s := &c.streams[i]; s.inUse && s.ID > c.goAwayID {
			c.h.Reset(s, f.ErrCode, true)
			c.free(s)
		}
	}
}
