package redact

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestNames(t *testing.T) {
	n := DefaultNames()
	for name, want := range map[string]bool{
		"API_TOKEN": true, "bench_token": true, "DB_PASSWORD": true, "AWS_SECRET_ACCESS_KEY": true,
		"SESSION_ID": true, "GITHUB_AUTH": true, "MY_PRIVATE_THING": true,
		"TOKEN_FILE": false, "KEY_PATH": false, "SECRETS_DIR": false, "AUTH_URL": false,
		"AUTH_HOST": false, "AUTH_PORT": false, "KEY_NAME": false, "HOME": false, "BENCH_RATE": false,
	} {
		if got := n.Secret(name); got != want {
			t.Errorf("Secret(%q) = %v, want %v", name, got, want)
		}
	}
	custom := Names{Env: []string{"bench_*"}}
	if !custom.Secret("BENCH_X") || custom.Secret("API_TOKEN") {
		t.Error("custom patterns are not used alone, or case matters")
	}
}

func TestSensitiveHeader(t *testing.T) {
	for name, want := range map[string]bool{
		"Authorization": true, "authorization": true, "Proxy-Authorization": true, "Cookie": true,
		"Set-Cookie": true, "X-Api-Key": true, "X-Auth-Token": true, "X-CSRF-TOKEN": true,
		"X-Session-Id": true, "X-Client-Secret": true,
		"Content-Type": false, "Host": false, "Accept": false, "X-Request-Id": false, "Keep-Alive": false,
	} {
		if got := SensitiveHeader(name); got != want {
			t.Errorf("SensitiveHeader(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	s := NewSet()
	s.AddPinned("s3cr3t-value-42")
	s.AddPinned("short") // below MinLen: never masked
	s.AddHeader("Authorization", "Bearer abcdef0123456789")
	s.AddHeader("Cookie", "lang=en; sid=f00dfacecafe")
	s.AddHeader("Set-Cookie", "id=a3fWa9x7q; Path=/api/v1; HttpOnly")
	s.AddHeader("Content-Type", "application/json") // not a credential header
	tests := []struct {
		in, want string
		n        int
	}{
		{"token is s3cr3t-value-42\n", "token is [redacted]\n", 1},
		{"short and admin stay\n", "short and admin stay\n", 0},
		{"auth abcdef0123456789 sent\n", "auth [redacted] sent\n", 1},
		{"hdr Bearer abcdef0123456789\n", "hdr [redacted]\n", 1},
		{"sid=f00dfacecafe\n", "sid=[redacted]\n", 1},
		{"lang=en\n", "lang=en\n", 0},
		{"got a3fWa9x7q\n", "got [redacted]\n", 1},
		{"path /api/v1 is not a cookie value\n", "path /api/v1 is not a cookie value\n", 0},
		{"type application/json\n", "type application/json\n", 0},
		{"twice s3cr3t-value-42s3cr3t-value-42\n", "twice [redacted]\n", 1},
		// Credential-shaped strings need no registration.
		{"jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U\n", "jwt [redacted]\n", 1},
		{"user=bob&password=hunter2\n", "user=bob&password=[redacted]\n", 1},
		{"GET /tokens 200 12ms\n", "GET /tokens 200 12ms\n", 0},
	}
	for _, tt := range tests {
		got, n := s.Redact(tt.in)
		if got != tt.want || n != tt.n {
			t.Errorf("Redact(%q) = %q, %d; want %q, %d", tt.in, got, n, tt.want, tt.n)
		}
	}
}

// writeAll writes the pieces through a Writer and returns what came out.
func writeAll(t *testing.T, s *Set, pieces []string, flush bool) (string, uint64) {
	t.Helper()
	var out strings.Builder
	w := NewWriter(&out, s)
	for _, p := range pieces {
		if n, err := w.WriteString(p); err != nil || n != len(p) {
			t.Fatalf("WriteString(%q) = %d, %v", p, n, err)
		}
	}
	if flush {
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	return out.String(), w.Redactions()
}

func TestWriterSplitWrites(t *testing.T) {
	s := NewSet()
	s.AddPinned("s3cr3t-value-42")
	s.AddPinned("-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----")
	tests := []struct {
		name   string
		pieces []string
		want   string
		n      uint64
	}{
		{"one write", []string{"v=s3cr3t-value-42\n"}, "v=[redacted]\n", 1},
		{"split in two", []string{"v=s3cr3t-", "value-42\n"}, "v=[redacted]\n", 1},
		{"split byte by byte", strings.Split("v=s3cr3t-value-42\n", ""), "v=[redacted]\n", 1},
		{"split over three writes", []string{"a s3c", "r3t-val", "ue-42 b\n"}, "a [redacted] b\n", 1},
		{"unterminated at the end", []string{"v=s3cr3t", "-value-42"}, "v=[redacted]", 1},
		{"carriage return ends a line", []string{"\rdone 10%\r", "done 20%\r"}, "\rdone 10%\rdone 20%\r", 0},
		{"multi-line secret split at a line break", []string{"key: -----BEGIN KEY-----\n", "AAAABBBBCCCC\n-----END KEY-----\n"}, "key: [redacted]\n", 1},
		{"credential split", []string{"Authorization: Bearer abcdef", "0123456789xyz\n"}, "Authorization: [redacted]\n", 1},
		{"nothing secret", []string{"200 ", "OK\n", "404\n"}, "200 OK\n404\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n := writeAll(t, s, tt.pieces, true)
			if got != tt.want || n != tt.n {
				t.Errorf("got %q (%d redactions), want %q (%d)", got, n, tt.want, tt.n)
			}
		})
	}
}

// A complete line is written at once; only an unterminated line is held.
func TestWriterHoldsOnlyUnterminatedLines(t *testing.T) {
	s := NewSet()
	s.AddPinned("s3cr3t-value-42")
	got, _ := writeAll(t, s, []string{"line one\n", "partial s3cr3t"}, false)
	if got != "line one\n" {
		t.Errorf("before Flush: %q", got)
	}
	if strings.Contains(got, "s3cr3t") {
		t.Error("a partial secret was written")
	}
}

func TestWriterLongLine(t *testing.T) {
	s := NewSet()
	s.AddPinned("s3cr3t-value-42")
	long := strings.Repeat("x", maxHold+10) + "s3cr3t-value-42"
	got, n := writeAll(t, s, []string{long[:maxHold/2], long[maxHold/2:]}, true)
	if strings.Contains(got, "s3cr3t") || n != 1 || len(got) != maxHold+10+len(Mask) {
		t.Errorf("long line: %d bytes, %d redactions, secret visible %v", len(got), n, strings.Contains(got, "s3cr3t"))
	}
}

// Many small writes inside one line (progress dots) are appended, not
// rescanned: a million of them take well under a second, and every byte
// comes out once, in order.
func TestWriterManySmallWrites(t *testing.T) {
	s := NewSet()
	s.AddPinned("s3cr3t-value-42")
	var out strings.Builder
	w := NewWriter(&out, s)
	const n = 1_000_000
	for range n {
		_, _ = w.WriteString(".")
	}
	_, _ = w.WriteString("s3cr3t-value-42\n")
	if out.Len() != n+len(Mask)+1 || strings.Count(out.String(), ".") != n || !strings.HasSuffix(out.String(), Mask+"\n") {
		t.Errorf("%d bytes out, %d dots, suffix %q", out.Len(), strings.Count(out.String(), "."), out.String()[max(0, out.Len()-20):])
	}
}

// A line too long to hold is cut at a space, so a credential-shaped word
// near the cut is not split.
func TestWriterLongLineCutsAtSpace(t *testing.T) {
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	var line strings.Builder
	for line.Len() < 3*maxHold {
		line.WriteString("word " + jwt + " ")
	}
	got, n := writeAll(t, nil, []string{line.String(), "\n"}, true)
	if strings.Contains(got, "eyJ") || int(n) != strings.Count(line.String(), jwt) {
		t.Errorf("%d of %d tokens masked; a piece shows: %v", n, strings.Count(line.String(), jwt), strings.Contains(got, "eyJ"))
	}
}

func TestSetBounded(t *testing.T) {
	s := NewSet()
	s.AddPinned("pinned-secret")
	for i := range 3 * maxValues {
		s.Add(fmt.Sprintf("session-%08d", i))
	}
	if n := s.Len(); n > maxValues+1 {
		t.Errorf("Len = %d after %d adds, want at most %d", n, 3*maxValues, maxValues+1)
	}
	newest := fmt.Sprintf("session-%08d", 3*maxValues-1)
	for _, v := range []string{"pinned-secret", newest} {
		if got, _ := s.Redact(v); got != Mask {
			t.Errorf("%q forgotten", v)
		}
	}
	if got, _ := s.Redact("session-00000000"); got == Mask {
		t.Error("the oldest value was kept")
	}
	s.Add(strings.Repeat("a", maxValueLen+1))
	if got, _ := s.Redact(strings.Repeat("a", maxValueLen+1)); got == Mask {
		t.Error("an oversized value was registered")
	}
}

func BenchmarkWriterNoSecret(b *testing.B) {
	s := NewSet()
	s.AddPinned("s3cr3t-value-42")
	s.AddHeader("Authorization", "Bearer abcdef0123456789")
	w := NewWriter(discard{}, s)
	line := "status 200, body 27 bytes, latency 1.25ms\n"
	b.ReportAllocs()
	for b.Loop() {
		_, _ = w.WriteString(line)
	}
}

func BenchmarkWriterSecret(b *testing.B) {
	s := NewSet()
	s.AddPinned("s3cr3t-value-42")
	w := NewWriter(discard{}, s)
	line := "token s3cr3t-value-42 used\n"
	b.ReportAllocs()
	for b.Loop() {
		_, _ = w.WriteString(line)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Thread states add values while the writers read them (go test -race).
func TestSetConcurrent(t *testing.T) {
	s := NewSet()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 { // 2,000 values in all: none forgotten
				s.AddHeader("Set-Cookie", fmt.Sprintf("sid=session-%d-%06d", g, i))
				if got, _ := s.Redact(fmt.Sprintf("x session-%d-%06d y", g, i)); got != "x "+Mask+" y" {
					t.Errorf("got %q", got)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// FuzzWriterSplits checks the Writer's two promises on any text cut in any
// two places: a registered secret never comes out, and text with nothing
// to mask comes out unchanged.
func FuzzWriterSplits(f *testing.F) {
	f.Add("token s3cr3t-value-42 end\n", 3, 11)
	f.Add("a\rb s3cr3t-value-42\r\n", 0, 20)
	f.Add("plain output, 200 OK\n404\n", 5, 7)
	f.Add("no newline at all s3cr3t-value-42", 18, 19)
	f.Fuzz(func(t *testing.T, text string, i, j int) {
		const secret = "s3cr3t-value-42"
		s := NewSet()
		s.AddPinned(secret)
		n := len(text)
		if n == 0 {
			return
		}
		i, j = min(max(i, 0), n), min(max(j, 0), n)
		if i > j {
			i, j = j, i
		}
		got, _ := writeAll(t, s, []string{text[:i], text[i:j], text[j:]}, true)
		if strings.Contains(got, secret) {
			t.Fatalf("secret visible in %q (input %q cut at %d, %d)", got, text, i, j)
		}
		// A credential-shaped match may differ once a line break cuts it
		// ("Bearer\n<token>"), so equality is promised for text the whole
		// of which needs no masking.
		if _, k := s.Redact(text); k == 0 && got != text {
			t.Fatalf("text with nothing to mask came out as %q, want %q", got, text)
		}
	})
}
