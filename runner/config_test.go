package runner

import (
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
)

func TestParseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want Target
		host string // HostHeader
		err  bool
	}{
		{raw: "http://127.0.0.1:8080/", want: Target{"http", "127.0.0.1", "8080", "8080", "/", false}, host: "127.0.0.1:8080"},
		{raw: "http://example.com", want: Target{"http", "example.com", "", "http", "/", false}, host: "example.com"},
		{raw: "https://h/p?q=1#frag", want: Target{"https", "h", "", "https", "/p?q=1#frag", true}, host: "h"},
		{raw: "HTTPS://h/", want: Target{"HTTPS", "h", "", "HTTPS", "/", false}, host: "h"}, // wrk: plain TCP
		{raw: "http://user:pw@h:81/x", want: Target{"http", "h", "81", "81", "/x", false}, host: "h:81"},
		{raw: "http://[::1]:8080/", want: Target{"http", "::1", "8080", "8080", "/", false}, host: "[::1]:8080"},
		// No path: wrk sends "/" and drops the query (verified on the wire).
		{raw: "http://h?x", want: Target{"http", "h", "", "http", "/", false}, host: "h"},
		{raw: "http://h/?q?r#f?#", want: Target{"http", "h", "", "http", "/?q?r#f?#", false}, host: "h"},
		{raw: "http://[fe80::1%25lo]:1/", want: Target{"http", "fe80::1%25lo", "1", "1", "/", false}, host: "[fe80::1%25lo]:1"},
		{raw: "http://h:0/", want: Target{"http", "h", "0", "0", "/", false}, host: "h:0"},
		{raw: "http://h:01/", want: Target{"http", "h", "01", "01", "/", false}, host: "h:01"},
		{raw: "http://@h/", want: Target{"http", "h", "", "http", "/", false}, host: "h"},
		{raw: "ftp://h:65535", want: Target{"ftp", "h", "65535", "65535", "/", false}, host: "h:65535"},
		{raw: "http://h/%zz|\"{}`^", want: Target{"http", "h", "", "http", "/%zz|\"{}`^", false}, host: "h"},
		{raw: "127.0.0.1:8080/", err: true},
		{raw: "http:/bad", err: true},
		{raw: "http://has space/", err: true},
		{raw: "http:///path", err: true},
		{raw: "http://h:99999/", err: true},
		{raw: "http://h:65536/", err: true},
		{raw: "http://h:99999999999999999999999/", err: true},
		// Rejected by wrk's (strict) http_parser, all verified with wrk 4.1.0.
		{raw: "h2c://h/", err: true},
		{raw: "a+b://h/", err: true},
		{raw: "a.b://h/", err: true},
		{raw: "http://h:/", err: true},
		{raw: "http://h:1:2/", err: true},
		{raw: "http://a_b/", err: true},
		{raw: "http://a~b/", err: true},
		{raw: "http://\xc3\xa9/", err: true},
		{raw: "http://h/\xc3\xa9", err: true},
		{raw: "http://h/a\tb", err: true},
		{raw: "http://h#f", err: true},
		{raw: "http://u@@h/", err: true},
		{raw: "http://u@/", err: true},
		{raw: "http://[::1]x/", err: true},
		{raw: "http://[::1]:/", err: true},
		{raw: "http://[::1/", err: true},
		{raw: "http://[v1.x]/", err: true},
		{raw: "http://h/a b", err: true},
		{raw: "/path", err: true},
		{raw: "", err: true},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.raw)
		if tt.err {
			if !errors.Is(err, ErrInvalidURL) {
				t.Errorf("ParseURL(%q) = %+v, %v; want ErrInvalidURL", tt.raw, got, err)
			}
			continue
		}
		if err != nil || got != tt.want || got.HostHeader() != tt.host {
			t.Errorf("ParseURL(%q) = %+v (Host %q), %v; want %+v (Host %q)", tt.raw, got, got.HostHeader(), err, tt.want, tt.host)
		}
	}
}

func TestBuildRequest(t *testing.T) {
	t.Parallel()
	tg := Target{Host: "h", Port: "81", Path: "/p?q#f"}
	tests := []struct {
		name    string
		headers []Header
		want    string
	}{
		{"default", nil, "GET /p?q#f HTTP/1.1\r\nHost: h:81\r\n\r\n"},
		{"headers", []Header{{"A", "1"}, {"B", "2"}}, "GET /p?q#f HTTP/1.1\r\nHost: h:81\r\nA: 1\r\nB: 2\r\n\r\n"},
		{"Host replaced", []Header{{"Host", "x"}}, "GET /p?q#f HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"lower-case host is another key", []Header{{"host", "x"}}, "GET /p?q#f HTTP/1.1\r\nHost: h:81\r\nhost: x\r\n\r\n"},
		{"last duplicate wins", []Header{{"A", "1"}, {"A", "2"}}, "GET /p?q#f HTTP/1.1\r\nHost: h:81\r\nA: 2\r\n\r\n"},
	}
	for _, tt := range tests {
		if got := string(BuildRequest(tg, tt.headers)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestStartupErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{&ConnectError{Host: "127.0.0.1", Service: "1", Err: &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}},
			"unable to connect to 127.0.0.1:1 Connection refused"},
		{&ResolveError{Host: "nohost", Service: "http", Err: &net.DNSError{Err: "no such host", Name: "nohost", IsNotFound: true}},
			"unable to resolve nohost:http Name or service not known"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%q, want %q", got, tt.want)
		}
	}
}
