package credential

import (
	"strings"
	"testing"
)

func TestSpans(t *testing.T) {
	const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	tests := []struct {
		s    string
		want []string // the texts the spans cover
	}{
		{"token " + jwt + " end", []string{jwt}},
		{"key AKIAIOSFODNN7EXAMPLF here", []string{"AKIAIOSFODNN7EXAMPLF"}},
		{"Authorization: Bearer 4f9a8b7c6d5e4f3a2b1c\n", []string{"4f9a8b7c6d5e4f3a2b1c", "Bearer 4f9a8b7c6d5e4f3a2b1c"}},
		{"auth Basic dXNlcjpwYXNz ok", []string{"dXNlcjpwYXNz"}},
		{"Cookie: session=abc123def456", []string{"session=abc123def456"}},
		{"user=bob&password=hunter2&x=1", []string{"hunter2"}},
		{`{"user":"a","password":"S3cr3t!"}`, []string{"S3cr3t!"}},
		// Not credentials: nothing to mask.
		{"GET /api/v1/tokens?limit=10 200", nil},
		{"password=changeme", nil},
		{"Bearer <token>", nil},
		{"status 200 in 3.2ms", nil},
		{"short", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, sp := range Spans(tt.s) {
			got = append(got, tt.s[sp.Start:sp.End])
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Spans(%q) cover %q, want %q", tt.s, got, tt.want)
		}
	}
}

// Every string Find reports has at least one span, so that the redactor
// masks what the linter calls a credential.
func TestSpansAgreeWithFind(t *testing.T) {
	for _, s := range []string{
		"ghp_abcdefghijklmnopqrstuvwxyz0123456789", "xoxb-123456789012-abcdefghijkl",
		"-----BEGIN RSA PRIVATE KEY-----\nMIIE", "Bearer 4f9a8b7c6d5e4f3a2b1c", "Basic dXNlcjpwYXNz",
		"Cookie: session=abc123def456", "user=bob&password=hunter2", `{"username":"admin","password":"S3cr3t!"}`,
	} {
		if Find(s) == "" || len(Spans(s)) == 0 {
			t.Errorf("Find(%q) = %q, Spans = %v: they disagree", s, Find(s), Spans(s))
		}
	}
}
