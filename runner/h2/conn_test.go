package h2

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// recorder is a Handler that writes down what happens.
type recorder struct {
	events []string
	bodies map[uint32]string
}

func (r *recorder) Header(s *Stream, name, value string) {
	r.events = append(r.events, fmt.Sprintf("header %d %s=%s", s.ID, name, value))
}
func (r *recorder) Data(s *Stream, b []byte) {
	if r.bodies == nil {
		r.bodies = map[uint32]string{}
	}
	r.bodies[s.ID] += string(b)
}
func (r *recorder) Done(s *Stream) {
	r.events = append(r.events, fmt.Sprintf("done %d %d", s.ID, s.Status))
}
func (r *recorder) Reset(s *Stream, code ErrCode, unprocessed bool) {
	r.events = append(r.events, fmt.Sprintf("reset %d %v %v", s.ID, code, unprocessed))
}

// server writes frames as a server would, with its own HPACK encoder.
type server struct {
	buf bytes.Buffer
	fw  *http2.Framer
	hb  bytes.Buffer
	enc *hpack.Encoder
}

func newServer() *server {
	s := &server{}
	s.fw = http2.NewFramer(&s.buf, nil)
	s.fw.AllowIllegalWrites = true
	s.enc = hpack.NewEncoder(&s.hb)
	return s
}

func (s *server) block(fields ...string) []byte {
	s.hb.Reset()
	for i := 0; i+1 < len(fields); i += 2 {
		_ = s.enc.WriteField(hpack.HeaderField{Name: fields[i], Value: fields[i+1]})
	}
	return bytes.Clone(s.hb.Bytes())
}

func (s *server) take() []byte {
	b := bytes.Clone(s.buf.Bytes())
	s.buf.Reset()
	return b
}

// clientFrames parses what the client queued (after the preface, when
// it is there) with x/net's Framer, decoding header blocks with dec.
func clientFrames(t *testing.T, out []byte, dec *hpack.Decoder) []string {
	t.Helper()
	out = bytes.TrimPrefix(out, []byte(ClientPreface))
	fr := http2.NewFramer(io.Discard, bytes.NewReader(out))
	var got []string
	for {
		f, err := fr.ReadFrame()
		if errors.Is(err, io.EOF) {
			return got
		}
		if err != nil {
			t.Fatalf("client wrote a bad frame: %v", err)
		}
		switch f := f.(type) {
		case *http2.HeadersFrame:
			fields, err := dec.DecodeFull(f.HeaderBlockFragment())
			if err != nil {
				t.Fatalf("client HPACK: %v", err)
			}
			var parts []string
			for _, hf := range fields {
				parts = append(parts, hf.Name+"="+hf.Value)
			}
			got = append(got, fmt.Sprintf("HEADERS %d end=%v %s", f.StreamID, f.StreamEnded(), strings.Join(parts, " ")))
		case *http2.DataFrame:
			got = append(got, fmt.Sprintf("DATA %d end=%v %q", f.StreamID, f.StreamEnded(), f.Data()))
		case *http2.SettingsFrame:
			if f.IsAck() {
				got = append(got, "SETTINGS ack")
			} else {
				got = append(got, "SETTINGS")
			}
		case *http2.WindowUpdateFrame:
			got = append(got, fmt.Sprintf("WINDOW_UPDATE %d %d", f.StreamID, f.Increment))
		case *http2.PingFrame:
			got = append(got, fmt.Sprintf("PING ack=%v", f.IsAck()))
		case *http2.RSTStreamFrame:
			got = append(got, fmt.Sprintf("RST_STREAM %d %v", f.StreamID, f.ErrCode))
		case *http2.GoAwayFrame:
			got = append(got, fmt.Sprintf("GOAWAY %v", f.ErrCode))
		default:
			got = append(got, f.Header().Type.String())
		}
	}
}

func openGET(c *Conn, path string) *Stream {
	var r Request
	if _, err := ParseRequest([]byte("GET "+path+" HTTP/1.1\r\nHost: h\r\n\r\n"), &r); err != nil {
		panic(err)
	}
	return c.Open(c.EncodeRequest(&r, "http", "h"), nil)
}

// TestConnExchanges drives a connection with server frames and checks
// what the Handler saw and what the client answered.
func TestConnExchanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		streams int // opened after the server's SETTINGS
		server  func(s *server)
		events  []string
		wire    []string // client frames after the preface's SETTINGS and WINDOW_UPDATE
		connErr bool
	}{
		{
			name: "response with body, headers and padding", streams: 1,
			server: func(s *server) {
				_ = s.fw.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: s.block(":status", "200", "set-cookie", "a=b"), EndHeaders: true, PadLength: 5})
				_ = s.fw.WriteDataPadded(1, false, []byte("hel"), make([]byte, 3))
				_ = s.fw.WriteData(1, true, []byte("lo"))
			},
			events: []string{"header 1 set-cookie=a=b", "done 1 200"},
		},
		{
			name: "interim response, then CONTINUATION", streams: 1,
			server: func(s *server) {
				_ = s.fw.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: s.block(":status", "103", "link", "x"), EndHeaders: true})
				b := s.block(":status", "404", "x-long", strings.Repeat("v", 100))
				_ = s.fw.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: b[:10], EndStream: true})
				_ = s.fw.WriteContinuation(1, true, b[10:])
			},
			events: []string{"header 1 x-long=" + strings.Repeat("v", 100), "done 1 404"},
		},
		{
			name: "RST_STREAM and REFUSED_STREAM", streams: 2,
			server: func(s *server) {
				_ = s.fw.WriteRSTStream(1, http2.ErrCodeInternal)
				_ = s.fw.WriteRSTStream(3, http2.ErrCodeRefusedStream)
			},
			events: []string{"reset 1 INTERNAL_ERROR false", "reset 3 REFUSED_STREAM true"},
		},
		{
			name: "GOAWAY hands back streams above the last ID", streams: 3,
			server: func(s *server) {
				_ = s.fw.WriteGoAway(1, http2.ErrCodeNo, nil)
				_ = s.fw.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: s.block(":status", "200"), EndHeaders: true, EndStream: true})
			},
			events: []string{"reset 3 NO_ERROR true", "reset 5 NO_ERROR true", "done 1 200"},
		},
		{
			name: "PING is answered", streams: 0,
			server: func(s *server) { _ = s.fw.WritePing(false, [8]byte{1}) },
			wire:   []string{"PING ack=true"},
		},
		{
			name: "response without :status is reset", streams: 1,
			server: func(s *server) {
				_ = s.fw.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: s.block("content-type", "x"), EndHeaders: true})
			},
			events: []string{"reset 1 PROTOCOL_ERROR false"},
			wire:   []string{"RST_STREAM 1 PROTOCOL_ERROR"},
		},
		{
			name: "DATA before HEADERS is reset", streams: 1,
			server: func(s *server) { _ = s.fw.WriteData(1, true, []byte("x")) },
			events: []string{"reset 1 PROTOCOL_ERROR false"},
			wire:   []string{"RST_STREAM 1 PROTOCOL_ERROR"},
		},
		{
			name: "HEADERS on a stream never opened", streams: 1,
			server: func(s *server) {
				_ = s.fw.WriteHeaders(http2.HeadersFrameParam{StreamID: 7, BlockFragment: s.block(":status", "200"), EndHeaders: true})
			},
			wire: []string{"GOAWAY PROTOCOL_ERROR"}, connErr: true,
		},
		{
			name: "PUSH_PROMISE is refused", streams: 1,
			server: func(s *server) {
				_ = s.fw.WritePushPromise(http2.PushPromiseParam{StreamID: 1, PromiseID: 2, BlockFragment: s.block(":method", "GET"), EndHeaders: true})
			},
			wire: []string{"GOAWAY PROTOCOL_ERROR"}, connErr: true,
		},
		{
			name: "broken HPACK", streams: 1,
			server: func(s *server) {
				_ = s.fw.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, EndHeaders: true})
			},
			wire: []string{"GOAWAY COMPRESSION_ERROR"}, connErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := NewConn(Config{MaxStreams: 4, Headers: true}, rec)
			c.Start()
			c.Wrote(len(c.Pending()))
			srv := newServer()
			_ = srv.fw.WriteSettings()
			if err := c.Feed(srv.take()); err != nil {
				t.Fatal(err)
			}
			dec := hpack.NewDecoder(4096, nil)
			if got := clientFrames(t, c.Pending(), dec); strings.Join(got, "|") != "SETTINGS ack" {
				t.Fatalf("answer to SETTINGS: %v", got)
			}
			c.Wrote(len(c.Pending()))
			for i := 0; i < tt.streams; i++ {
				if !c.CanOpen() {
					t.Fatalf("cannot open stream %d", i)
				}
				openGET(c, "/")
			}
			c.Wrote(len(c.Pending()))
			tt.server(srv)
			err := c.Feed(srv.take())
			if (err != nil) != tt.connErr {
				t.Fatalf("Feed: %v", err)
			}
			if strings.Join(rec.events, "|") != strings.Join(tt.events, "|") {
				t.Errorf("events\n%q\nwant\n%q", rec.events, tt.events)
			}
			if got := clientFrames(t, c.Pending(), dec); strings.Join(got, "|") != strings.Join(tt.wire, "|") {
				t.Errorf("client wrote %q, want %q", got, tt.wire)
			}
			if tt.name == "response with body, headers and padding" && rec.bodies[1] != "hello" {
				t.Errorf("body %q", rec.bodies[1])
			}
		})
	}
}

// TestConnSettings: the preface, MAX_CONCURRENT_STREAMS (also changed
// mid-connection) and one stream before the server's SETTINGS.
func TestConnSettings(t *testing.T) {
	t.Parallel()
	c := NewConn(Config{MaxStreams: 10}, &recorder{})
	c.Start()
	out := c.Pending()
	if !bytes.HasPrefix(out, []byte(ClientPreface)) {
		t.Fatal("no preface")
	}
	dec := hpack.NewDecoder(4096, nil)
	if got := clientFrames(t, out, dec); strings.Join(got, "|") != fmt.Sprintf("SETTINGS|WINDOW_UPDATE 0 %d", recvWindow-defaultWindow) {
		t.Fatalf("preface frames %v", got)
	}
	c.Wrote(len(out))
	if c.Limit() != 1 {
		t.Fatalf("limit before SETTINGS = %d", c.Limit())
	}
	srv := newServer()
	steps := []struct {
		max   uint32
		limit int
	}{{2, 2}, {0, 0}, {50, 10}}
	for _, st := range steps {
		_ = srv.fw.WriteSettings(http2.Setting{ID: http2.SettingMaxConcurrentStreams, Val: st.max})
		if err := c.Feed(srv.take()); err != nil {
			t.Fatal(err)
		}
		if c.Limit() != st.limit {
			t.Errorf("MAX_CONCURRENT_STREAMS %d: limit %d, want %d", st.max, c.Limit(), st.limit)
		}
	}
	_ = srv.fw.WriteSettings(http2.Setting{ID: http2.SettingMaxFrameSize, Val: 100})
	if err := c.Feed(srv.take()); err == nil {
		t.Error("SETTINGS_MAX_FRAME_SIZE 100 accepted")
	}
}

// TestConnFlowControl: a request body waits for the server's windows,
// stream and connection, and goes out as they open, a byte at a time.
func TestConnFlowControl(t *testing.T) {
	t.Parallel()
	c := NewConn(Config{MaxStreams: 1}, &recorder{})
	c.Start()
	c.Wrote(len(c.Pending()))
	srv := newServer()
	_ = srv.fw.WriteSettings(http2.Setting{ID: http2.SettingInitialWindowSize, Val: 1})
	if err := c.Feed(srv.take()); err != nil {
		t.Fatal(err)
	}
	c.Wrote(len(c.Pending()))
	var r Request
	if _, err := ParseRequest([]byte("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"), &r); err != nil {
		t.Fatal(err)
	}
	s := c.Open(c.EncodeRequest(&r, "http", "h"), r.Body)
	dec := hpack.NewDecoder(4096, nil)
	want := `HEADERS 1 end=false :method=POST :scheme=http :authority=h :path=/p content-length=3|DATA 1 end=false "a"`
	if got := strings.Join(clientFrames(t, c.Pending(), dec), "|"); got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
	c.Wrote(len(c.Pending()))
	for i, w := range []string{`DATA 1 end=false "b"`, `DATA 1 end=true "c"`} {
		_ = srv.fw.WriteWindowUpdate(s.ID, 1)
		if err := c.Feed(srv.take()); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(clientFrames(t, c.Pending(), dec), "|"); got != w {
			t.Fatalf("update %d: got %s, want %s", i, got, w)
		}
		c.Wrote(len(c.Pending()))
	}
	// A lowered initial window makes the stream's negative: nothing more
	// is sent, and a window above 2^31-1 is a connection error.
	_ = srv.fw.WriteWindowUpdate(0, maxWindow)
	if err := c.Feed(srv.take()); err == nil {
		t.Error("connection window above 2^31-1 accepted")
	}
}

// TestConnStaticBlockSettles: the static request's block is cached once
// its fields are in the dynamic table, and every block still decodes to
// the same request on the server's side.
func TestConnStaticBlockSettles(t *testing.T) {
	t.Parallel()
	for _, tableSize := range []uint32{4096, 0} {
		c := NewConn(Config{MaxStreams: 1}, &recorder{})
		c.Start()
		c.Wrote(len(c.Pending()))
		srv := newServer()
		_ = srv.fw.WriteSettings(http2.Setting{ID: http2.SettingHeaderTableSize, Val: tableSize})
		if err := c.Feed(srv.take()); err != nil {
			t.Fatal(err)
		}
		c.Wrote(len(c.Pending()))
		var r Request
		if _, err := ParseRequest([]byte("GET /x HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\r\n\r\n"), &r); err != nil {
			t.Fatal(err)
		}
		dec := hpack.NewDecoder(4096, nil)
		var sizes []int
		for i := 0; i < 5; i++ {
			b := c.StaticBlock(&r, "http", "h")
			sizes = append(sizes, len(b))
			fields, err := dec.DecodeFull(b)
			if err != nil {
				t.Fatalf("table %d block %d: %v", tableSize, i, err)
			}
			if len(fields) != 5 || fields[3].Value != "/x" || fields[4].Name != "user-agent" {
				t.Fatalf("table %d block %d: %v", tableSize, i, fields)
			}
		}
		if tableSize > 0 && (c.staticState != staticStable || sizes[4] >= sizes[0]) {
			t.Errorf("table %d: state %d, sizes %v", tableSize, c.staticState, sizes)
		}
	}
}

func TestParseRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // method path authority fields... body
		n    int
		err  string
	}{
		{in: "GET / HTTP/1.1\r\nHost: a:8080\r\n\r\n", want: "GET / a:8080 |", n: 32},
		{in: "POST /p?q=1 HTTP/1.1\r\nHost: h\r\nContent-Type: json\r\nContent-Length: 2\r\n\r\n{}GET", want: "POST /p?q=1 h content-type=json content-length=2 |{}", n: 74},
		{in: "GET / HTTP/1.1\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\nProxy-Connection: x\r\nUpgrade: h2c\r\nTE: gzip\r\nX-A: 1\r\n\r\n", want: "GET /  x-a=1 |"},
		{in: "GET / HTTP/1.1\r\nTE: trailers\r\n\r\n", want: "GET /  te=trailers |"},
		{in: "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", err: "chunked"},
		{in: "POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc", err: "shorter"},
		{in: "GET / HTTP/1.1\r\nBad\r\n\r\n", err: "no name"},
		{in: "GET / HTTP/1.1\r\n", err: "no end of headers"},
		{in: "  ", err: "no request"},
	}
	for _, tt := range tests {
		var r Request
		n, err := ParseRequest([]byte(tt.in), &r)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		got := string(r.Method) + " " + string(r.Path) + " " + string(r.Authority)
		for _, f := range r.Fields {
			got += " " + string(f.Name) + "=" + string(f.Value)
		}
		got += " |" + string(r.Body)
		if got != tt.want || tt.n != 0 && n != tt.n {
			t.Errorf("%q: got %q (%d), want %q (%d)", tt.in, got, n, tt.want, tt.n)
		}
	}
}

// TestConnHeaderBlockLimit: an endless CONTINUATION stream ends the
// connection once the block passes the announced header list size.
func TestConnHeaderBlockLimit(t *testing.T) {
	t.Parallel()
	c := NewConn(Config{MaxStreams: 1}, &recorder{})
	c.Start()
	srv := newServer()
	_ = srv.fw.WriteSettings()
	if err := c.Feed(srv.take()); err != nil {
		t.Fatal(err)
	}
	openGET(c, "/")
	_ = srv.fw.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: srv.block(":status", "200")})
	if err := c.Feed(srv.take()); err != nil {
		t.Fatal(err)
	}
	// Indexed ":status 200" over and over: valid HPACK, never ending.
	frag := bytes.Repeat([]byte{0x88}, DefaultMaxFrameSize)
	for i := 0; i <= maxHeaderList/len(frag); i++ {
		_ = srv.fw.WriteContinuation(1, false, frag)
		err := c.Feed(srv.take())
		var ce *ConnError
		if i < maxHeaderList/len(frag)-1 && err != nil || i == maxHeaderList/len(frag) && !(errors.As(err, &ce) && ce.Code == ErrCodeEnhanceYourCalm) {
			t.Fatalf("fragment %d: %v", i, err)
		}
	}
}

// TestConnNotHTTP2: an HTTP/1.1 answer to the preface is recognised.
func TestConnNotHTTP2(t *testing.T) {
	t.Parallel()
	for _, first := range []string{"HTTP/1.1 400 Bad Request\r\n\r\n", "HTTP"} {
		c := NewConn(Config{MaxStreams: 1}, &recorder{})
		c.Start()
		if err := c.Feed([]byte(first)); !errors.Is(err, ErrNotHTTP2) {
			t.Errorf("%q: %v", first, err)
		}
	}
}

// TestConnLargeBodyIsQueuedInChunks: a large request body does not sit
// in the output buffer whole; it is queued as the output is written.
func TestConnLargeBodyIsQueuedInChunks(t *testing.T) {
	t.Parallel()
	c := NewConn(Config{MaxStreams: 1}, &recorder{})
	c.Start()
	c.Wrote(len(c.Pending()))
	srv := newServer()
	_ = srv.fw.WriteSettings(http2.Setting{ID: http2.SettingInitialWindowSize, Val: maxWindow})
	_ = srv.fw.WriteWindowUpdate(0, maxWindow-defaultWindow)
	if err := c.Feed(srv.take()); err != nil {
		t.Fatal(err)
	}
	c.Wrote(len(c.Pending()))
	const size = 1 << 20
	body := bytes.Repeat([]byte("b"), size)
	var r Request
	text := append([]byte(fmt.Sprintf("POST / HTTP/1.1\r\nContent-Length: %d\r\n\r\n", size)), body...)
	if _, err := ParseRequest(text, &r); err != nil {
		t.Fatal(err)
	}
	c.Open(c.EncodeRequest(&r, "http", "h"), r.Body)
	var wire []byte
	for i := 0; len(c.Pending()) > 0; i++ {
		if p := len(c.Pending()); p > bodyChunk+DefaultMaxFrameSize+frameHeaderLen+100 {
			t.Fatalf("write %d: %d bytes queued", i, p)
		}
		wire = append(wire, c.Pending()...)
		c.Wrote(len(c.Pending()))
	}
	got := 0
	dec := hpack.NewDecoder(4096, nil)
	for _, f := range clientFrames(t, wire, dec) {
		if strings.HasPrefix(f, "DATA") {
			got++
		}
	}
	if want := size / DefaultMaxFrameSize; got != want {
		t.Errorf("%d DATA frames, want %d", got, want)
	}
}
