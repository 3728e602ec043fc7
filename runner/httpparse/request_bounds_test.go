package httpparse

import (
	"strings"
	"testing"
)

// TestRequestCheckOverflow: sizes past a 64-bit counter are http_parser's
// "invalid content length" error; a chunk size that wrapped to a negative
// int moved the position before the string and crashed the process
// outside any guard.
func TestRequestCheckOverflow(t *testing.T) {
	const head = "POST / HTTP/1.1\r\nHost: x\r\n"
	tests := []struct {
		name, req, wantErr string
		want               int
	}{
		{"chunk size wraps", head + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffff0\r\nabc\r\n0\r\n\r\n", "invalid character in content-length header", 0},
		// Below the bound (2^59, where the next digit could overflow an
		// int), a size is only too long for the string.
		{"chunk size below the bound", head + "Transfer-Encoding: chunked\r\n\r\n100000000000000\r\nabc\r\n0\r\n\r\n", "incomplete request", 0},
		{"chunk size with a 17th digit", head + "Transfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", "invalid character in content-length header", 0},
		{"content length wraps", head + "Content-Length: 99999999999999999999999\r\n\r\n", "invalid character in content-length header", 0},
		{"content length below the bound", head + "Content-Length: 99999999999999999\r\n\r\nabc", "incomplete request", 0},
		{"chunked request", head + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "", 1},
		{"content length", head + "Content-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n\r\n", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := CheckRequest([]byte(tt.req))
			if tt.wantErr == "" {
				if err != nil || n != tt.want {
					t.Fatalf("= %d, %v; want %d requests", n, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("= %d, %v; want %q", n, err, tt.wantErr)
			}
		})
	}
}
