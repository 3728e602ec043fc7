package h2

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Request is one HTTP/1.1 request of wrk.format's text translated to
// HTTP/2's form (RFC 9113 §8.3.1): the request line becomes :method and
// :path, Host becomes :authority, header names are lowercased, and the
// connection-specific fields, which HTTP/2 forbids, are dropped. Slices
// point into the request text and the Request's own buffer; both are
// reused by the next ParseRequest.
type Request struct {
	Method, Path, Authority []byte
	Fields                  []Field // regular fields, in order, names lowercased
	Body                    []byte
	names                   []byte // lowercased names
}

// Field is one header field.
type Field struct{ Name, Value []byte }

var errNoRequest = errors.New("no request")

// connectionSpecific are the fields RFC 9113 §8.2.2 forbids (TE is
// allowed only as "trailers", checked apart).
var connectionSpecific = [...]string{"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"}

// ParseRequest translates the first request of src and returns how many
// bytes it took. The body is Content-Length bytes; without one the request
// has none (wrk.format adds Content-Length whenever it adds a body), and a
// chunked body is refused: there is no chunking in HTTP/2 and the text
// would have to be de-chunked to send it.
func ParseRequest(src []byte, r *Request) (int, error) {
	*r = Request{Fields: r.Fields[:0], names: r.names[:0]}
	end := bytes.Index(src, []byte("\r\n\r\n"))
	if end < 0 {
		if len(bytes.TrimSpace(src)) == 0 {
			return 0, errNoRequest
		}
		return 0, errors.New("request text has no end of headers (CRLF CRLF)")
	}
	head := src[:end]
	n := end + 4
	line, rest, _ := bytes.Cut(head, []byte("\r\n"))
	method, target, ok := bytes.Cut(line, []byte(" "))
	if !ok || len(method) == 0 {
		return 0, fmt.Errorf("request line %q has no method", line)
	}
	path, _, _ := bytes.Cut(target, []byte(" ")) // HTTP/1.1 version dropped
	if len(path) == 0 {
		return 0, fmt.Errorf("request line %q has no target", line)
	}
	r.Method, r.Path = method, path
	if cap(r.names) < len(head) {
		// Names are at most the head's size: appends never move them.
		r.names = make([]byte, 0, 2*len(head))
	}
	contentLength := -1
	for len(rest) > 0 {
		var hl []byte
		hl, rest, _ = bytes.Cut(rest, []byte("\r\n"))
		name, value, ok := bytes.Cut(hl, []byte(":"))
		if !ok || len(name) == 0 {
			return 0, fmt.Errorf("header line %q has no name", hl)
		}
		value = bytes.TrimSpace(value)
		name = lower(&r.names, name)
		switch {
		case string(name) == "host":
			if r.Authority == nil {
				r.Authority = value
			}
			continue
		case string(name) == "te":
			if !bytes.EqualFold(value, []byte("trailers")) {
				continue
			}
		case string(name) == "content-length":
			cl, err := strconv.Atoi(string(value))
			if err != nil || cl < 0 {
				return 0, fmt.Errorf("invalid Content-Length %q", value)
			}
			contentLength = cl
		case string(name) == "transfer-encoding" && bytes.Contains(bytes.ToLower(value), []byte("chunked")):
			return 0, errors.New("a chunked request body cannot be sent over HTTP/2: give the body with Content-Length (wrk.format does)")
		}
		if isConnectionSpecific(name) {
			continue
		}
		r.Fields = append(r.Fields, Field{Name: name, Value: value})
	}
	if contentLength > 0 {
		if len(src)-n < contentLength {
			return 0, fmt.Errorf("request body shorter than its Content-Length %d", contentLength)
		}
		r.Body = src[n : n+contentLength]
		n += contentLength
	}
	return n, nil
}

// IsEnd reports whether err means src held no further request.
func IsEnd(err error) bool { return errors.Is(err, errNoRequest) }

func isConnectionSpecific(name []byte) bool {
	for _, c := range connectionSpecific {
		if string(name) == c {
			return true
		}
	}
	return false
}

// lower returns name lowercased: name itself when it has no upper-case
// letter, else a copy appended to buf (which never reallocates, see
// ParseRequest).
func lower(buf *[]byte, name []byte) []byte {
	i := 0
	for i < len(name) && (name[i] < 'A' || name[i] > 'Z') {
		i++
	}
	if i == len(name) {
		return name
	}
	s := len(*buf)
	for _, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		*buf = append(*buf, c)
	}
	return (*buf)[s:]
}
