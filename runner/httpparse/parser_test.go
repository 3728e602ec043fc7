package httpparse

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// recorder is a Sink that keeps what it is given, for assertions.
type recorder struct {
	headers []string
	body    bytes.Buffer
}

func (r *recorder) Header(name, value []byte) {
	r.headers = append(r.headers, string(name)+"="+string(value))
}
func (r *recorder) Body(b []byte) { r.body.Write(b) }

type result struct {
	status    int
	body      string
	keepAlive bool
}

// parseAll feeds input in pieces of at most step bytes (0: all at once),
// then EOF, and returns every completed response.
func parseAll(t testing.TB, input string, step int, head bool) ([]result, error) {
	t.Helper()
	var p Parser
	rec := &recorder{}
	p.Sink = rec
	p.Head = head
	var out []result
	data := []byte(input)
	complete := func() {
		out = append(out, result{status: p.Status(), body: rec.body.String(), keepAlive: p.KeepAlive()})
		rec.body.Reset()
		p.Reset()
	}
	for len(data) > 0 {
		piece := data
		if step > 0 && len(piece) > step {
			piece = piece[:step]
		}
		data = data[len(piece):]
		for len(piece) > 0 {
			n, done, err := p.Parse(piece)
			if n < 0 || n > len(piece) {
				t.Fatalf("Parse consumed %d of %d bytes", n, len(piece))
			}
			if err != nil {
				return out, err
			}
			piece = piece[n:]
			if done {
				ka := p.KeepAlive()
				complete()
				if !ka {
					return out, nil
				}
			} else if len(piece) != 0 {
				t.Fatalf("Parse stopped early without completing: %d bytes left", len(piece))
			}
		}
	}
	done, err := p.EOF()
	if done {
		complete()
	}
	return out, err
}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		head    bool
		want    []result
		wantErr error
	}{
		{"content-length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
			false, []result{{200, "hello", true}}, nil},
		{"zero length", "HTTP/1.1 204 No Content\r\n\r\n",
			false, []result{{204, "", true}}, nil},
		{"304 ignores length", "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
			false, []result{{304, "", true}, {200, "x", true}}, nil},
		{"head ignores length", "HTTP/1.1 200 OK\r\nContent-Length: 601\r\n\r\n",
			true, []result{{200, "", true}}, nil},
		{"chunked with extensions and trailer",
			"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=val\r\nhello\r\n1\r\n!\r\n0\r\nX-Trailer: 1\r\n\r\n",
			false, []result{{200, "hello!", true}}, nil},
		{"chunked upper-case hex", "HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
			false, []result{{200, "0123456789", true}}, nil},
		{"close-delimited", "HTTP/1.1 200 OK\r\n\r\nall of it",
			false, []result{{200, "all of it", false}}, nil},
		{"connection close", "HTTP/1.1 500 Oops\r\nConnection: close\r\nContent-Length: 2\r\n\r\nab",
			false, []result{{500, "ab", false}}, nil},
		{"http/1.0 default close", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\na",
			false, []result{{200, "a", false}}, nil},
		{"http/1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\na",
			false, []result{{200, "a", true}}, nil},
		{"connection token list", "HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\nContent-Length: 0\r\n\r\n",
			false, []result{{200, "", false}}, nil},
		{"interim 100 skipped", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
			false, []result{{201, "ok", true}}, nil},
		{"101 ends the stream", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\nbinary",
			false, []result{{101, "", false}}, nil},
		{"pipelined", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 404 NF\r\nContent-Length: 2\r\n\r\nbbHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
			false, []result{{200, "a", true}, {404, "bb", true}, {200, "", true}}, nil},
		{"bare LF", "HTTP/1.1 200 OK\nContent-Length: 3\n\nabc",
			false, []result{{200, "abc", true}}, nil},
		{"no reason phrase", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
			false, []result{{200, "", true}}, nil},
		{"same content-length twice", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nz",
			false, []result{{200, "z", true}}, nil},
		{"folded content-length", "HTTP/1.1 200 OK\r\nContent-Length:\r\n 2\r\n\r\nok",
			false, []result{{200, "ok", true}}, nil},
		{"folded other header", "HTTP/1.1 200 OK\r\nX-A: 1\r\n\t2\r\nContent-Length: 0\r\n\r\n",
			false, []result{{200, "", true}}, nil},
		{"folding without a header", "HTTP/1.1 200 OK\r\n x\r\n\r\n", false, nil, ErrHeaderLine},
		{"garbage", "GARBAGE GARBAGE\r\n\r\n", false, nil, ErrStatusLine},
		{"bad status code", "HTTP/1.1 2x0 OK\r\n\r\n", false, nil, ErrStatusLine},
		{"header without colon", "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", false, nil, ErrHeaderLine},
		{"conflicting content-length", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", false, nil, ErrContentLength},
		{"negative content-length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false, nil, ErrContentLength},
		{"gzip transfer-encoding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", false, nil, ErrTransferEnc},
		{"bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false, nil, ErrChunkSize},
		{"missing chunk CRLF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", false, nil, ErrChunkEnd},
		{"truncated body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", false, nil, ErrUnexpectedEOF},
		{"truncated headers", "HTTP/1.1 200 OK\r\nContent-Le", false, nil, ErrUnexpectedEOF},
		{"empty stream", "", false, nil, nil},
		{"line too long", "HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", MaxLineLen+1) + "\r\n\r\n", false, nil, ErrLineTooLong},
	}
	for _, tt := range tests {
		// Every split size must give the same answer: lines and bodies
		// straddling reads are the parser's hardest job.
		for _, step := range []int{0, 1, 2, 3, 7, 64} {
			got, err := parseAll(t, tt.input, step, tt.head)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("%s/step %d: err = %v, want %v", tt.name, step, err, tt.wantErr)
				continue
			}
			if tt.wantErr != nil {
				continue
			}
			if len(got) != len(tt.want) {
				t.Errorf("%s/step %d: got %d responses %+v, want %+v", tt.name, step, len(got), got, tt.want)
				continue
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("%s/step %d: response %d = %+v, want %+v", tt.name, step, i, got[i], tt.want[i])
				}
			}
		}
	}
}

func TestSinkHeaders(t *testing.T) {
	var p Parser
	rec := &recorder{}
	p.Sink = rec
	in := "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Empty:\r\nServer:  nginx \r\nContent-Length: 0\r\n\r\n"
	if _, done, err := p.Parse([]byte(in)); !done || err != nil {
		t.Fatalf("done=%v err=%v", done, err)
	}
	want := []string{"Set-Cookie=a=1", "X-Empty=", "Server=nginx", "Content-Length=0"}
	if strings.Join(rec.headers, "|") != strings.Join(want, "|") {
		t.Errorf("headers = %q, want %q", rec.headers, want)
	}
}

func TestParseAllocs(t *testing.T) {
	in := []byte("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\nConnection: keep-alive\r\nContent-Length: 601\r\n\r\n" + strings.Repeat("x", 601))
	var p Parser
	allocs := testing.AllocsPerRun(1000, func() {
		// Split in two to exercise the line-stitching path too.
		_, _, _ = p.Parse(in[:20])
		if _, done, err := p.Parse(in[20:]); !done || err != nil {
			t.Fatalf("done=%v err=%v", done, err)
		}
		p.Reset()
	})
	if allocs != 0 {
		t.Errorf("Parse allocates %.1f times per response, want 0", allocs)
	}
}

func BenchmarkParse(b *testing.B) {
	in := []byte("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sun, 22 Nov 2026 02:00:00 GMT\r\nContent-Type: text/html\r\nContent-Length: 601\r\nLast-Modified: Sun, 22 Nov 2026 01:00:00 GMT\r\nConnection: keep-alive\r\nETag: \"abc-259\"\r\nAccept-Ranges: bytes\r\n\r\n" + strings.Repeat("x", 601))
	var p Parser
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, done, err := p.Parse(in); !done || err != nil {
			b.Fatal(done, err)
		}
		p.Reset()
	}
}

// FuzzParse checks the parser against net/http.ReadResponse: whatever
// net/http reads as one complete, non-interim response, the parser must read
// with the same status and body, whatever the read boundaries. The parser
// must never panic or consume more than it was given.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nT: v\r\n\r\n",
		"HTTP/1.0 200 OK\r\n\r\nclose delimited",
		"HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n",
		"HTTP/1.1 304 Not Modified\r\n\r\n",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
		"HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nA: b\r\n c\r\nContent-Length: 1\r\n\r\nq",
		"HTTP/1.1 200 OK\nContent-Length: 2\n\nab",
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nz",
		"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\nab",
		"garbage",
	}
	for _, s := range seeds {
		for _, head := range []bool{false, true} {
			f.Add([]byte(s), uint8(0), head)
			f.Add([]byte(s), uint8(1), head)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, step uint8, head bool) {
		got, perr := parseAll(t, string(data), int(step), head)

		req := &http.Request{Method: http.MethodGet}
		if head {
			req.Method = http.MethodHead
		}
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(data)), req)
		if err != nil {
			return
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || (resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != 101) {
			return
		}
		if len(got) == 0 {
			t.Fatalf("net/http read status %d body %q, parser: no response (err %v)", resp.StatusCode, body, perr)
		}
		if got[0].status != resp.StatusCode || got[0].body != string(body) {
			t.Fatalf("net/http: %d %q; parser: %d %q", resp.StatusCode, body, got[0].status, got[0].body)
		}
		framed := resp.ContentLength >= 0 || len(resp.TransferEncoding) > 0 || head ||
			resp.StatusCode == 204 || resp.StatusCode == 304
		if framed && resp.StatusCode != 101 && got[0].keepAlive == resp.Close {
			t.Fatalf("keep-alive: net/http Close=%v, parser KeepAlive=%v", resp.Close, got[0].keepAlive)
		}
	})
}
