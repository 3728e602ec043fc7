// Package httpparse is an incremental, allocation-free HTTP/1.1 response
// parser for the wrkrun benchmark engine, and (request.go) the start-up
// check of the requests wrkrun will send, worded as wrk's http_parser.
//
// # Model
//
// A Parser is fed the bytes of one connection in whatever pieces read()
// returns. Parse consumes bytes until a response is complete (or the input
// runs out) and reports how much it consumed, so several pipelined responses
// in one read are handled by calling Parse again on the rest. Framing follows
// RFC 9112 section 6.3 as net/http applies it: no body for HEAD, 1xx, 204 and
// 304; chunked (extensions and trailers skipped) when Transfer-Encoding is
// chunked; Content-Length; otherwise the body runs until the peer closes,
// which the caller reports with EOF.
//
// Interim 1xx responses other than 101 are skipped: the response that follows
// them is the one reported. Lines split across reads are stitched together in
// a fixed buffer owned by the Parser, so steady-state parsing never allocates.
//
// Header values and body bytes are passed to an optional Sink only when one
// is set; wrkrun sets it only when a script wants to see responses.
package httpparse

import (
	"bytes"
	"errors"
)

// MaxLineLen bounds a status, header, chunk-size or trailer line. Longer lines
// are a protocol error; the limit keeps the stitching buffer fixed-size.
const MaxLineLen = 16 << 10

// Errors returned by Parse and EOF. They are values so that the engine can
// count them without formatting anything.
var (
	ErrStatusLine    = errors.New("malformed status line")
	ErrHeaderLine    = errors.New("malformed header line")
	ErrLineTooLong   = errors.New("line too long")
	ErrContentLength = errors.New("bad content-length")
	ErrTransferEnc   = errors.New("unsupported transfer-encoding")
	ErrChunkSize     = errors.New("bad chunk size")
	ErrChunkEnd      = errors.New("missing CRLF after chunk data")
	ErrUnexpectedEOF = errors.New("connection closed before the response was complete")
)

// Sink receives the parts of a response. Slices are only valid during the
// call: they point into the caller's read buffer or the parser's line buffer.
type Sink interface {
	Header(name, value []byte)
	Body(chunk []byte)
}

type state uint8

const (
	stStatus     state = iota // waiting for (the rest of) a status line
	stHeaders                 // reading header lines
	stBodyLength              // Content-Length body, remaining bytes left
	stChunkSize               // reading a chunk-size line
	stChunkData               // inside a chunk, remaining bytes left
	stChunkCRLF               // the CRLF after a chunk's data
	stTrailer                 // trailer lines after the last chunk
	stBodyClose               // body delimited by connection close
)

// Parser holds the state of one connection's response stream. The zero value
// is ready to parse a response to a non-HEAD request.
type Parser struct {
	// Sink, when non-nil, receives header fields and body bytes.
	Sink Sink
	// Head tells the parser that the request was HEAD, so that the response
	// has no body whatever its headers say (wrk stalls here; we do not).
	Head bool

	state     state
	status    int
	major     int
	minor     int
	remaining int64 // body or chunk bytes still expected
	hasCL     bool
	clValue   int64
	chunked   bool
	teOther   bool // a Transfer-Encoding other than chunked
	connClose bool
	connKeep  bool
	started   bool // some byte of the current response has been seen
	lastCR    bool // stChunkCRLF: the CR has been consumed
	upgraded  bool // 101: the stream is no longer HTTP

	seenHeader bool    // a header line has been read (folding needs one)
	pendKind   framing // framing header waiting for possible folded lines
	pendVal    []byte  // its value so far; reused, like line

	// line stitches a line split across reads. It is allocated the first
	// time that happens and reused after, so idle connections cost nothing
	// and the steady state does not allocate.
	line []byte
}

// Status is the status code of the response being parsed or just completed.
func (p *Parser) Status() int { return p.status }

// KeepAlive reports whether the connection may carry another response after
// the one just completed (HTTP/1.1 without "Connection: close", or HTTP/1.0
// with "Connection: keep-alive", and a body not delimited by close).
func (p *Parser) KeepAlive() bool {
	if p.state == stBodyClose || p.upgraded {
		return false
	}
	if p.major == 1 && p.minor == 0 {
		return p.connKeep && !p.connClose
	}
	if p.major < 1 {
		return false
	}
	return !p.connClose
}

// InProgress reports whether part of a response has been consumed.
func (p *Parser) InProgress() bool { return p.started }

// Reset prepares the parser for the next response on the same connection.
// Sink and Head are kept.
func (p *Parser) Reset() {
	p.state = stStatus
	p.status = 0
	p.major, p.minor = 0, 0
	p.remaining = 0
	p.hasCL, p.clValue = false, 0
	p.chunked, p.teOther = false, false
	p.connClose, p.connKeep = false, false
	p.started = false
	p.lastCR = false
	p.upgraded = false
	p.seenHeader = false
	p.pendKind = fNone
	p.pendVal = p.pendVal[:0]
	p.line = p.line[:0]
}

// Parse consumes data up to the end of the current response. It returns the
// number of bytes consumed and done=true when a response completed; the
// caller then inspects Status and KeepAlive, calls Reset and may call Parse
// again with data[n:]. With done=false all of data was consumed. After an
// error the connection must be dropped.
func (p *Parser) Parse(data []byte) (n int, done bool, err error) {
	for n < len(data) {
		p.started = true
		switch p.state {
		case stStatus, stHeaders, stChunkSize, stTrailer:
			line, used, ok, lerr := p.nextLine(data[n:])
			n += used
			if lerr != nil {
				return n, false, lerr
			}
			if !ok {
				return n, false, nil
			}
			fin, lerr := p.handleLine(line)
			if lerr != nil {
				return n, false, lerr
			}
			if fin {
				return n, true, nil
			}
		case stBodyLength, stChunkData:
			chunk := data[n:]
			if int64(len(chunk)) > p.remaining {
				chunk = chunk[:p.remaining]
			}
			if p.Sink != nil && len(chunk) > 0 {
				p.Sink.Body(chunk)
			}
			n += len(chunk)
			p.remaining -= int64(len(chunk))
			if p.remaining == 0 {
				if p.state == stBodyLength {
					return n, true, nil
				}
				p.state = stChunkCRLF
			}
		case stChunkCRLF:
			c := data[n]
			n++
			if c == '\r' && !p.lastCR {
				p.lastCR = true
				continue
			}
			if c != '\n' {
				return n, false, ErrChunkEnd
			}
			p.lastCR = false
			p.state = stChunkSize
		case stBodyClose:
			if p.Sink != nil {
				p.Sink.Body(data[n:])
			}
			n = len(data)
		}
	}
	return n, false, nil
}

// EOF tells the parser that the peer closed the connection. It reports
// whether that completed a close-delimited response, or ErrUnexpectedEOF if
// a response was cut short. A close between responses is neither.
func (p *Parser) EOF() (done bool, err error) {
	switch {
	case p.state == stBodyClose:
		return true, nil
	case !p.started:
		return false, nil
	default:
		return false, ErrUnexpectedEOF
	}
}

// nextLine returns the next complete line without its line ending, taken
// from data directly when possible and stitched in p.line otherwise.
func (p *Parser) nextLine(data []byte) (line []byte, used int, ok bool, err error) {
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		if len(p.line)+len(data) > MaxLineLen {
			return nil, len(data), false, ErrLineTooLong
		}
		if p.line == nil {
			p.line = make([]byte, 0, 256)
		}
		p.line = append(p.line, data...)
		return nil, len(data), false, nil
	}
	used = i + 1
	if len(p.line)+i > MaxLineLen {
		return nil, used, false, ErrLineTooLong
	}
	if len(p.line) == 0 {
		line = data[:i]
	} else {
		p.line = append(p.line, data[:i]...)
		line = p.line
		p.line = p.line[:0] // line stays valid until the next append
	}
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, used, true, nil
}

func (p *Parser) handleLine(line []byte) (done bool, err error) {
	switch p.state {
	case stStatus:
		return false, p.parseStatus(line)
	case stHeaders:
		if len(line) == 0 {
			return p.endHeaders()
		}
		return false, p.parseHeader(line)
	case stChunkSize:
		size, err := parseChunkSize(line)
		if err != nil {
			return false, err
		}
		if size == 0 {
			p.state = stTrailer
			return false, nil
		}
		p.remaining = size
		p.state = stChunkData
		return false, nil
	case stTrailer:
		if len(line) == 0 {
			return true, nil
		}
		return false, nil
	}
	return false, nil
}

// parseStatus accepts "HTTP/x.y SP+ ddd [SP reason]".
func (p *Parser) parseStatus(line []byte) error {
	sp := bytes.IndexByte(line, ' ')
	if sp < 0 {
		return ErrStatusLine
	}
	proto := line[:sp]
	rest := line[sp+1:]
	for len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	if end := bytes.IndexByte(rest, ' '); end >= 0 {
		rest = rest[:end]
	}
	if len(rest) != 3 {
		return ErrStatusLine
	}
	code := 0
	// net/http reads the code with Atoi and rejects only negative values,
	// so "+12" is 12 and "-00" is 0.
	digits, neg := rest, false
	if digits[0] == '+' || digits[0] == '-' {
		digits, neg = digits[1:], digits[0] == '-'
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return ErrStatusLine
		}
		code = code*10 + int(c-'0')
	}
	if neg && code != 0 {
		return ErrStatusLine
	}
	if len(proto) != len("HTTP/1.1") || string(proto[:5]) != "HTTP/" || proto[6] != '.' ||
		!isDigit(proto[5]) || !isDigit(proto[7]) {
		return ErrStatusLine
	}
	p.status = code
	p.major = int(proto[5] - '0')
	p.minor = int(proto[7] - '0')
	p.state = stHeaders
	return nil
}

func (p *Parser) parseHeader(line []byte) error {
	if line[0] == ' ' || line[0] == '\t' {
		return p.continuation(line)
	}
	if err := p.flushPending(); err != nil {
		return err
	}
	p.seenHeader = true
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return ErrHeaderLine
	}
	// Names are not checked against the token grammar: net/http accepts
	// more than RFC 9110 allows, and a load generator gains nothing from
	// being stricter than the clients it stands in for.
	name := line[:colon]
	value := trimOWS(line[colon+1:])
	var kind framing
	switch {
	case equalFold(name, "content-length"):
		kind = fContentLength
	case equalFold(name, "transfer-encoding"):
		kind = fTransferEncoding
	case equalFold(name, "connection"):
		kind = fConnection
	}
	if kind != fNone {
		// Applied when the next line shows the value is not folded on.
		p.pendKind = kind
		p.pendVal = append(p.pendVal[:0], value...)
	}
	if p.Sink != nil {
		p.Sink.Header(name, value)
	}
	return nil
}

// framing names the headers that decide how a response is delimited.
type framing uint8

const (
	fNone framing = iota
	fContentLength
	fTransferEncoding
	fConnection
)

// continuation handles an obsolete folded header line (RFC 9112 5.2): like
// net/textproto, it joins it to the previous value with one space.
func (p *Parser) continuation(line []byte) error {
	if !p.seenHeader {
		return ErrHeaderLine
	}
	if p.pendKind != fNone {
		p.pendVal = append(p.pendVal, ' ')
		p.pendVal = append(p.pendVal, trimOWS(line)...)
	}
	return nil
}

// flushPending applies the framing header read last, now complete.
func (p *Parser) flushPending() error {
	kind := p.pendKind
	if kind == fNone {
		return nil
	}
	p.pendKind = fNone
	value := trimOWS(p.pendVal)
	switch kind {
	case fContentLength:
		v, ok := parseDecimal(value)
		if !ok || (p.hasCL && v != p.clValue) {
			return ErrContentLength
		}
		p.hasCL, p.clValue = true, v
	case fTransferEncoding:
		// Before HTTP/1.1 Transfer-Encoding is ignored, as net/http does.
		if p.major < 1 || (p.major == 1 && p.minor == 0) {
			return nil
		}
		if p.chunked || p.teOther {
			return ErrTransferEnc
		}
		if equalFold(value, "chunked") {
			p.chunked = true
		} else {
			p.teOther = true
		}
	case fConnection:
		scanTokens(value, func(tok []byte) {
			switch {
			case equalFold(tok, "close"):
				p.connClose = true
			case equalFold(tok, "keep-alive"):
				p.connKeep = true
			}
		})
	}
	return nil
}

// endHeaders decides the body framing once the header block is complete.
func (p *Parser) endHeaders() (done bool, err error) {
	if err := p.flushPending(); err != nil {
		return false, err
	}
	if p.teOther {
		return false, ErrTransferEnc
	}
	switch {
	case p.status >= 100 && p.status < 200 && p.status != 101:
		// Interim response: the real one follows on the same stream.
		sink, head := p.Sink, p.Head
		p.Reset()
		p.Sink, p.Head, p.started = sink, head, true
		return false, nil
	case p.status == 101:
		p.upgraded = true
		return true, nil
	case p.Head, p.status == 204, p.status == 304:
		return true, nil
	case p.chunked:
		p.state = stChunkSize
		return false, nil
	case p.hasCL:
		if p.clValue == 0 {
			return true, nil
		}
		p.remaining = p.clValue
		p.state = stBodyLength
		return false, nil
	default:
		p.state = stBodyClose
		return false, nil
	}
}

// parseChunkSize reads the hex size, ignoring chunk extensions after ';'.
func parseChunkSize(line []byte) (int64, error) {
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	line = trimOWS(line)
	if len(line) == 0 || len(line) > 15 {
		return 0, ErrChunkSize
	}
	var n int64
	for _, c := range line {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, ErrChunkSize
		}
		n = n<<4 | int64(d)
	}
	return n, nil
}

func parseDecimal(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func scanTokens(v []byte, f func([]byte)) {
	for len(v) > 0 {
		i := bytes.IndexByte(v, ',')
		var tok []byte
		if i < 0 {
			tok, v = v, nil
		} else {
			tok, v = v[:i], v[i+1:]
		}
		f(trimOWS(tok))
	}
}

func trimOWS(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// equalFold compares b with a lower-case ASCII string, ignoring case.
func equalFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
