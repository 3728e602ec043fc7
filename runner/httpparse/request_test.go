package httpparse

import (
	"strings"
	"testing"
)

func TestCheckRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		req  string
		n    int
		want string // error, "" for none
	}{
		{"GET / HTTP/1.1\r\nHost: a\r\n\r\n", 1, ""},
		{"GET / HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n", 2, ""},
		{"GET / HTTP/1.1\r\n\r\nGET /b", 1, ""}, // a trailing incomplete request is ignored, as by wrk
		{"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nab", 1, ""},
		{"", 0, "incomplete request at 1:1"},
		{"GET / HTTP/1.1\r\n", 0, "incomplete request at 2:1"},
		{"FOO / HTTP/1.1\r\n\r\n", 0, "invalid HTTP method at 1:1"},
		{"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 0, "invalid character in header at 2:4"},
		{"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 0, "invalid character in content-length header"},
	}
	for _, tt := range tests {
		n, err := CheckRequest([]byte(tt.req))
		switch {
		case tt.want == "" && (err != nil || n != tt.n):
			t.Errorf("CheckRequest(%q) = %d, %v; want %d", tt.req, n, err, tt.n)
		case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
			t.Errorf("CheckRequest(%q) error %v, want %q", tt.req, err, tt.want)
		}
	}
}
