package httpparse

import (
	"bytes"
	"fmt"
	"math"
	"strings"
)

// CheckRequest counts the complete requests in b as wrk's start-up check
// does, for a script's request() and for the static request built from
// the command line (-H): it runs http_parser (request mode, strict, as bundled with wrk)
// over the string returned by request() and counts the messages it
// completes. A parse error, or a string without one complete request, is
// an error worded as wrk's: http_parser's description and the line:column
// where parsing stopped ("invalid HTTP method at 1:1", "incomplete request
// at 3:1"). Like wrk, an incomplete request after complete ones is not an
// error.
func CheckRequest(b []byte) (n int, err error) {
	// The check runs on a string of the script's making, outside the
	// state's guard: a bug here must end the run with an error, not the
	// process with a Go crash.
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("internal error in the start-up request check (recovered Go panic: %v)", r)
		}
	}()
	v := reqVerifier{b: b}
	n, msg := v.run()
	if msg == "" && n > 0 {
		return n, nil
	}
	if msg == "" {
		msg = "incomplete request"
	}
	line, col := 1, 1
	for _, c := range b[:v.p] {
		col++
		if c == '\n' {
			line, col = line+1, 1
		}
	}
	return 0, fmt.Errorf("%s at %d:%d", msg, line, col)
}

// http_parser's error descriptions.
const (
	errMethod        = "invalid HTTP method"
	errURL           = "invalid URL"
	errConstant      = "invalid constant string"
	errVersion       = "invalid HTTP version"
	errHeaderToken   = "invalid character in header" //nolint:gosec // http_parser's message, not a credential
	errContentLength = "invalid character in content-length header"
	errDupLength     = "unexpected content-length header"
	errChunkSize     = "invalid character in chunk size header"
	errLFExpected    = "LF character expected"
	errStrict        = "strict mode assertion failed"
	errClosed        = "data received after completed connection: close message"
	errOverflow      = "header size overflow"
)

// httpMethods is http_parser 2.x's method table (wrk's bundled copy).
var httpMethods = []string{"DELETE", "GET", "HEAD", "POST", "PUT", "CONNECT", "OPTIONS", "TRACE",
	"COPY", "LOCK", "MKCOL", "MOVE", "PROPFIND", "PROPPATCH", "SEARCH", "UNLOCK", "BIND", "REBIND",
	"UNBIND", "ACL", "REPORT", "MKACTIVITY", "CHECKOUT", "MERGE", "M-SEARCH", "NOTIFY", "SUBSCRIBE",
	"UNSUBSCRIBE", "PATCH", "PURGE", "MKCALENDAR", "LINK", "UNLINK"}

// maxHeaderSize is http_parser's HTTP_MAX_HEADER_SIZE.
const maxHeaderSize = 80 * 1024

// reqVerifier walks a request string; p is where parsing stopped.
type reqVerifier struct {
	b []byte
	p int
}

func (v *reqVerifier) more() bool { return v.p < len(v.b) }
func (v *reqVerifier) cur() byte  { return v.b[v.p] }

// run returns the number of complete requests and the error description
// ("" when parsing consumed everything).
func (v *reqVerifier) run() (int, string) {
	n := 0
	closed := false
	for {
		for v.more() && (v.cur() == '\r' || v.cur() == '\n') {
			v.p++
		}
		if !v.more() {
			return n, ""
		}
		if closed {
			return n, errClosed
		}
		keepAlive, done, msg := v.request()
		if msg != "" || !done {
			return n, msg
		}
		n++
		closed = !keepAlive
	}
}

// request parses one request; done is false when the input ran out.
func (v *reqVerifier) request() (keepAlive, done bool, msg string) {
	start := v.p
	method, msg := v.method()
	if msg != "" || !v.more() {
		return false, false, msg
	}
	if msg := v.target(method == "CONNECT"); msg != "" || !v.more() {
		return false, false, msg
	}
	major, minor := 0, 9
	if c := v.cur(); c == ' ' {
		v.p++
		if major, minor, msg = v.version(); msg != "" || !v.more() {
			return false, false, msg
		}
	}
	if msg := v.eol(); msg != "" || !v.more() {
		return false, false, msg
	}
	h, ok, msg := v.headers(start)
	if msg != "" || !ok {
		return false, false, msg
	}
	if h.chunked {
		if ok, msg := v.chunks(); msg != "" || !ok {
			return false, false, msg
		}
	} else if h.length > 0 {
		if h.length > len(v.b)-v.p {
			v.p = len(v.b)
			return false, false, ""
		}
		v.p += h.length
	}
	if major > 0 && minor > 0 {
		keepAlive = !h.close
	} else {
		keepAlive = h.keepAlive
	}
	return keepAlive, true, ""
}

// method matches a method of the table followed by one space: the error is
// at the first byte that no method continues with.
func (v *reqVerifier) method() (string, string) {
	start := v.p
	for v.more() {
		got := string(v.b[start : v.p+1])
		if v.cur() == ' ' {
			for _, m := range httpMethods {
				if m+" " == got {
					v.p++
					return m, ""
				}
			}
			return "", errMethod
		}
		prefix := false
		for _, m := range httpMethods {
			if strings.HasPrefix(m, got) {
				prefix = true
				break
			}
		}
		if !prefix {
			return "", errMethod
		}
		v.p++
	}
	return "", ""
}

// target skips the spaces before the request target and checks it as
// http_parser does (strict URL characters; an absolute URL needs its
// "scheme://"); it stops at the space or line end after it.
func (v *reqVerifier) target(connect bool) string {
	for v.more() && v.cur() == ' ' {
		v.p++
	}
	const (
		start = iota
		schema
		slash
		slashSlash
		serverStart
		server
		path
	)
	s := start
	if connect {
		s = serverStart
	}
	for ; v.more(); v.p++ {
		c := v.cur()
		if c == ' ' || c == '\r' || c == '\n' {
			if s == server || s == path {
				return ""
			}
			return errURL
		}
		ok := false
		switch s {
		case start:
			switch {
			case c == '/' || c == '*':
				s, ok = path, true
			case isAlpha(c):
				s, ok = schema, true
			}
		case schema:
			switch {
			case isAlpha(c):
				ok = true
			case c == ':':
				s, ok = slash, true
			}
		case slash, slashSlash:
			if c == '/' {
				s, ok = s+1, true
			}
		case serverStart, server:
			switch {
			case c == '/':
				s, ok = path, true
			case isUserinfoChar(c) || c == '[' || c == ']' || c == '@' || c == '?':
				s, ok = server, true
			}
		case path:
			ok = c > ' ' && c < 0x7f
		}
		if !ok {
			return errURL
		}
	}
	return ""
}

// version reads "HTTP/major.minor".
func (v *reqVerifier) version() (major, minor int, msg string) {
	for v.more() && v.cur() == ' ' {
		v.p++
	}
	// "H" is checked always, "TTP/" only in strict mode.
	for i := 0; i < len("HTTP/"); i++ {
		if !v.more() {
			return 0, 0, ""
		}
		if v.cur() != "HTTP/"[i] {
			if i == 0 {
				return 0, 0, errConstant
			}
			return 0, 0, errStrict
		}
		v.p++
	}
	num := func(stop func(byte) bool) (int, string) {
		n, digits := 0, 0
		for v.more() {
			c := v.cur()
			if digits > 0 && stop(c) {
				return n, ""
			}
			if !isDigitByte(c) {
				return 0, errVersion
			}
			if n = n*10 + int(c-'0'); n > 999 {
				return 0, errVersion
			}
			digits++
			v.p++
		}
		return n, ""
	}
	if major, msg = num(func(c byte) bool { return c == '.' }); msg != "" || !v.more() {
		return major, 0, msg
	}
	v.p++ // '.'
	minor, msg = num(func(c byte) bool { return c == '\r' || c == '\n' })
	return major, minor, msg
}

// eol consumes CRLF (or a bare LF); strict mode wants LF after CR.
func (v *reqVerifier) eol() string {
	switch v.cur() {
	case '\n':
		v.p++
		return ""
	case '\r':
		v.p++
		if !v.more() {
			return ""
		}
		if v.cur() != '\n' {
			return errStrict
		}
		v.p++
		return ""
	}
	return errVersion
}

type reqHeaders struct {
	length                    int
	hasLength                 bool
	chunked, close, keepAlive bool
}

// headers reads header lines up to the empty line.
func (v *reqVerifier) headers(start int) (h reqHeaders, ok bool, msg string) {
	for {
		if v.p-start > maxHeaderSize {
			return h, false, errOverflow
		}
		if !v.more() {
			return h, false, ""
		}
		if c := v.cur(); c == '\r' || c == '\n' {
			// The empty line; strict mode wants LF after CR.
			v.p++
			if c == '\n' {
				return h, true, ""
			}
			if !v.more() {
				return h, false, ""
			}
			if v.cur() != '\n' {
				return h, false, errStrict
			}
			v.p++
			return h, true, ""
		}
		nameStart := v.p
		for v.more() && v.cur() != ':' {
			if !isTokenByte(v.cur()) {
				return h, false, errHeaderToken
			}
			v.p++
		}
		if !v.more() {
			return h, false, ""
		}
		name := strings.ToLower(string(v.b[nameStart:v.p]))
		if name == "" {
			return h, false, errHeaderToken
		}
		v.p++ // ':'
		valStart := v.p
		for v.more() && v.cur() != '\r' && v.cur() != '\n' {
			if c := v.cur(); c != '\t' && (c < ' ' || c == 0x7f) {
				return h, false, errHeaderToken
			}
			v.p++
		}
		if !v.more() {
			return h, false, ""
		}
		value := strings.ToLower(strings.Trim(string(v.b[valStart:v.p]), " \t"))
		switch name {
		case "content-length":
			if h.hasLength {
				for v.p = valStart; v.b[v.p] == ' ' || v.b[v.p] == '\t'; v.p++ {
				}
				return h, false, errDupLength
			}
			n := 0
			for i := 0; i < len(value); i++ {
				// http_parser refuses a length that overflows its
				// 64-bit counter with the same error.
				if !isDigitByte(value[i]) || n > (math.MaxInt-10)/10 {
					v.p = valStart + bytes.IndexByte(v.b[valStart:], value[i])
					return h, false, errContentLength
				}
				n = n*10 + int(value[i]-'0')
			}
			if value == "" {
				return h, false, errContentLength
			}
			h.length, h.hasLength = n, true
		case "transfer-encoding":
			h.chunked = value == "chunked"
		case "connection":
			h.close = strings.Contains(value, "close")
			h.keepAlive = strings.Contains(value, "keep-alive")
		}
		if c := v.cur(); c == '\r' {
			v.p++
			if !v.more() {
				return h, false, ""
			}
			if v.cur() != '\n' {
				return h, false, errLFExpected
			}
		}
		v.p++
	}
}

// chunks reads a chunked body up to the last chunk and the trailers.
func (v *reqVerifier) chunks() (bool, string) {
	for {
		size, digits := 0, 0
		for v.more() && isHexByte(v.cur()) {
			// As http_parser, a size that would overflow the counter
			// is an invalid length (it wrapped to a negative int, which
			// moved the position before the string's start); ours is
			// a signed int, so the bound is 2^59, not 2^60.
			if size > (math.MaxInt-16)/16 {
				return false, errContentLength
			}
			size = size*16 + hexVal(v.cur())
			digits++
			v.p++
		}
		if !v.more() {
			return false, ""
		}
		if digits == 0 {
			return false, errChunkSize
		}
		for v.more() && v.cur() != '\n' {
			v.p++ // extensions and CR
		}
		if !v.more() {
			return false, ""
		}
		v.p++
		if size == 0 {
			_, ok, msg := v.headers(v.p) // trailers
			return ok, msg
		}
		if size > len(v.b)-v.p-2 {
			v.p = len(v.b)
			return false, ""
		}
		v.p += size
		if v.cur() != '\r' {
			return false, errStrict
		}
		v.p++
		if v.cur() != '\n' {
			return false, errStrict
		}
		v.p++
	}
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool     { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func isHexByte(c byte) bool   { return isDigitByte(c) || ((c|0x20) >= 'a' && (c|0x20) <= 'f') }

func hexVal(c byte) int {
	if isDigitByte(c) {
		return int(c - '0')
	}
	return int(c|0x20) - 'a' + 10
}

// isTokenByte: RFC 7230 token characters (http_parser's tokens table).
func isTokenByte(c byte) bool {
	return c > ' ' && c < 0x7f && strings.IndexByte(`()<>@,;:\"/[]?={}`, c) < 0
}

func isUserinfoChar(c byte) bool {
	return (c|0x20) >= 'a' && (c|0x20) <= 'z' || isDigitByte(c) || strings.IndexByte("-_.!~*'()%;:&=+$,", c) >= 0
}
