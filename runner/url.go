package runner

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidURL is returned by ParseURL; the CLI prints "invalid URL: …".
var ErrInvalidURL = errors.New("invalid URL")

// ParseURL interprets raw as wrk does. wrk parses the URL with the bundled
// http_parser's URL parser in its default strict mode and then requires a
// scheme and a host; this is the same state machine:
//
//   - the scheme is letters only, followed by "://";
//   - the authority is userinfo characters (one '@' at most) and '[' ']';
//     the host is letters, digits, '.' and '-' or a bracketed IPv6 address
//     (with an optional %zone); a port is digits up to 65535 and may not be
//     empty;
//   - the path, query and fragment are printable ASCII without spaces;
//   - the path sent is everything from the path's '/' to the end (query and
//     fragment included); a URL without a path sends "/", dropping a query
//     ("http://h?x" requests "/");
//   - TLS is chosen when the scheme starts with lower-case "https".
func ParseURL(raw string) (Target, error) {
	bad := fmt.Errorf("%w: %s", ErrInvalidURL, raw)
	u, ok := splitURL(raw)
	if !ok || !u.has[urlSchema] || !u.has[urlHost] {
		return Target{}, bad
	}
	auth := raw[u.off[urlHost] : u.off[urlHost]+u.n[urlHost]]
	host, port, ok := parseAuthority(auth, u.at)
	if !ok {
		return Target{}, bad
	}
	path := "/"
	if u.has[urlPath] {
		path = raw[u.off[urlPath]:]
	}
	scheme := raw[u.off[urlSchema] : u.off[urlSchema]+u.n[urlSchema]]
	service := port
	if service == "" {
		service = scheme
	}
	return Target{
		Scheme: scheme, Host: host, Port: port, Service: service, Path: path,
		TLS: strings.HasPrefix(scheme, "https"),
	}, nil
}

// URL fields, as http_parser's UF_*.
const (
	urlSchema = iota
	urlHost
	urlPath
	urlQuery
	urlFragment
	urlFields
)

type urlParts struct {
	has    [urlFields]bool
	off, n [urlFields]int
	at     bool // the authority contains '@'
}

// URL scanner states (http_parser's s_req_* URL states).
type urlState int

const (
	usDead urlState = iota
	usStart
	usSchema
	usSchemaSlash
	usSchemaSlashSlash
	usServerStart
	usServer
	usServerWithAt
	usPath
	usQueryStart
	usQuery
	usFragmentStart
	usFragment
)

func isAlpha(c byte) bool    { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func isDigit(c byte) bool    { return c >= '0' && c <= '9' }
func isAlphaNum(c byte) bool { return isAlpha(c) || isDigit(c) }
func isHex(c byte) bool      { return isDigit(c) || ((c|0x20) >= 'a' && (c|0x20) <= 'f') }

// isURLChar: strict http_parser's URL characters (printable ASCII except
// '#' and '?').
func isURLChar(c byte) bool { return c > ' ' && c < 0x7f && c != '#' && c != '?' }

func isUserinfoChar(c byte) bool {
	return isAlphaNum(c) || strings.IndexByte("-_.!~*'()%;:&=+$,", c) >= 0
}

func urlNext(s urlState, c byte) urlState {
	if c == ' ' || c == '\r' || c == '\n' || c == '\t' || c == '\f' {
		return usDead
	}
	switch s {
	case usStart:
		if c == '/' || c == '*' {
			return usPath
		}
		if isAlpha(c) {
			return usSchema
		}
	case usSchema:
		if isAlpha(c) {
			return s
		}
		if c == ':' {
			return usSchemaSlash
		}
	case usSchemaSlash:
		if c == '/' {
			return usSchemaSlashSlash
		}
	case usSchemaSlashSlash:
		if c == '/' {
			return usServerStart
		}
	case usServerWithAt, usServerStart, usServer:
		switch {
		case c == '@' && s == usServerWithAt:
			return usDead
		case c == '/':
			return usPath
		case c == '?':
			return usQueryStart
		case c == '@':
			return usServerWithAt
		case isUserinfoChar(c) || c == '[' || c == ']':
			return usServer
		}
	case usPath:
		switch {
		case isURLChar(c):
			return s
		case c == '?':
			return usQueryStart
		case c == '#':
			return usFragmentStart
		}
	case usQueryStart, usQuery:
		switch {
		case isURLChar(c) || c == '?':
			return usQuery
		case c == '#':
			return usFragmentStart
		}
	case usFragmentStart:
		switch {
		case isURLChar(c) || c == '?':
			return usFragment
		case c == '#':
			return s
		}
	case usFragment:
		if isURLChar(c) || c == '?' || c == '#' {
			return s
		}
	}
	return usDead
}

// splitURL finds the URL's fields as http_parser_parse_url does.
func splitURL(raw string) (urlParts, bool) {
	var u urlParts
	s, last := usStart, -1
	for i := 0; i < len(raw); i++ {
		s = urlNext(s, raw[i])
		var f int
		switch s {
		case usDead:
			return u, false
		case usSchemaSlash, usSchemaSlashSlash, usServerStart, usQueryStart, usFragmentStart:
			continue // delimiters
		case usSchema:
			f = urlSchema
		case usServerWithAt:
			u.at = true
			f = urlHost
		case usServer:
			f = urlHost
		case usPath:
			f = urlPath
		case usQuery:
			f = urlQuery
		case usFragment:
			f = urlFragment
		}
		if f == last {
			u.n[f]++
			continue
		}
		u.has[f], u.off[f], u.n[f], last = true, i, 1, f
	}
	return u, true
}

// Authority states (http_parser's s_http_host_* and s_http_userinfo*).
type hostState int

const (
	hsDead hostState = iota
	hsUserinfoStart
	hsUserinfo
	hsHostStart
	hsV6Start
	hsHost
	hsV6
	hsV6End
	hsV6ZoneStart
	hsV6Zone
	hsPortStart
	hsPort
)

func hostNext(s hostState, c byte) hostState {
	switch s {
	case hsUserinfo, hsUserinfoStart:
		if c == '@' {
			return hsHostStart
		}
		if isUserinfoChar(c) {
			return hsUserinfo
		}
	case hsHostStart:
		if c == '[' {
			return hsV6Start
		}
		if isAlphaNum(c) || c == '.' || c == '-' {
			return hsHost
		}
	case hsHost, hsV6End:
		if s == hsHost && (isAlphaNum(c) || c == '.' || c == '-') {
			return hsHost
		}
		if c == ':' {
			return hsPortStart
		}
	case hsV6, hsV6Start:
		if s == hsV6 && c == ']' {
			return hsV6End
		}
		if isHex(c) || c == ':' || c == '.' {
			return hsV6
		}
		if s == hsV6 && c == '%' {
			return hsV6ZoneStart
		}
	case hsV6Zone, hsV6ZoneStart:
		if s == hsV6Zone && c == ']' {
			return hsV6End
		}
		if isAlphaNum(c) || strings.IndexByte("%.-_~", c) >= 0 {
			return hsV6Zone
		}
	case hsPort, hsPortStart:
		if isDigit(c) {
			return hsPort
		}
	}
	return hsDead
}

// parseAuthority splits [userinfo@]host[:port] as http_parse_host does;
// the host of an IPv6 literal comes without its brackets (with its zone).
func parseAuthority(auth string, at bool) (host, port string, ok bool) {
	s := hsHostStart
	if at {
		s = hsUserinfoStart
	}
	hostStart, hostEnd, portStart := -1, -1, -1
	for i := 0; i < len(auth); i++ {
		n := hostNext(s, auth[i])
		switch n {
		case hsDead:
			return "", "", false
		case hsHost, hsV6:
			if n != s && hostStart < 0 {
				hostStart = i
			}
			hostEnd = i + 1
		case hsV6ZoneStart, hsV6Zone:
			hostEnd = i + 1
		case hsPort:
			if s != hsPort {
				portStart = i
			}
		}
		s = n
	}
	switch s {
	case hsHostStart, hsV6Start, hsV6, hsV6ZoneStart, hsV6Zone, hsPortStart, hsUserinfo, hsUserinfoStart:
		return "", "", false
	}
	if portStart >= 0 {
		port = auth[portStart:]
		v := 0
		for i := 0; i < len(port); i++ {
			if v = v*10 + int(port[i]-'0'); v > 0xffff {
				return "", "", false
			}
		}
	}
	return auth[hostStart:hostEnd], port, true
}
