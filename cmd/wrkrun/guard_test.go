package main

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/term"
	"github.com/wrklint/wrklint/internal/testutil"

	"github.com/wrklint/wrklint/runner/policy/policytest"

	"github.com/creack/pty"
)

var testNames = policytest.Resolver{
	"www.example.com":     {"93.184.216.34", "2606:2800:220:1::1"},
	"api.staging.example": {"198.51.100.10", "198.51.100.11"},
	"db.internal":         {"10.0.0.5"},
	"evil.internal":       {"10.0.0.6", "8.8.8.8"},
	"half.example.com":    {"93.184.216.34", "198.51.100.99"},
	"localhost":           {"127.0.0.1"},
	"ok.example.com":      {"198.51.100.20"},
}

func testEnv(stdout, stderr io.Writer) env {
	return env{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, resolver: testNames,
		terminal: func(any) bool { return false }}
}

func writeConfig(t *testing.T, yml string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "wrklint.yml")
	if err := os.WriteFile(p, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTargetPolicyDryRun checks the URL target policy end to end. Every
// case is a dry run, so even a wrongly allowed public address is never
// dialled; the counting listener proves nothing reached 127.0.0.1 either.
func TestTargetPolicyDryRun(t *testing.T) {
	t.Parallel()
	local, conns := countingListener(t)
	port := regexp.MustCompile(`:(\d+)/$`).FindStringSubmatch(local)[1]
	deny := writeConfig(t, "targets:\n  allow: [\"*.example.com\"]\n  deny: [\"93.184.216.0/24\", \"*.staging.example\"]\n")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // regexp
		wantStderr string // regexp
	}{
		{name: "loopback literal", args: []string{local}, wantCode: 0,
			wantStdout: `(?s)Address:     allowed 127\.0\.0\.1 \(default: loopback\).*Policy:      allowed`},
		{name: "localhost", args: []string{"http://localhost:" + port + "/"}, wantCode: 0, wantStdout: `allowed 127\.0\.0\.1`},
		{name: "private name", args: []string{"http://db.internal/"}, wantCode: 0, wantStdout: `allowed 10\.0\.0\.5 \(default: private \(RFC 1918\)\)`},
		{name: "public name refused, every address", args: []string{"http://www.example.com/"}, wantCode: 4,
			wantStdout: `(?s)refused 93\.184\.216\.34 .*refused 2606:2800:220:1::1 .*Policy:      refused`,
			wantStderr: `target 93\.184\.216\.34 \(www\.example\.com\) refused by default: public address.*allow it with --allow-target www\.example\.com or --allow-target 93\.184\.216\.34`},
		{name: "public literal refused", args: []string{"http://8.8.8.8/"}, wantCode: 4, wantStderr: `target 8\.8\.8\.8 refused by default: public address`},
		{name: "public IPv6 literal refused", args: []string{"http://[2001:4860:4860::8888]:8080/"}, wantCode: 4, wantStderr: `2001:4860:4860::8888 refused`},
		{name: "allowed by wildcard", args: []string{"--allow-target", "*.example.com", "http://www.example.com/"}, wantCode: 0,
			wantStdout: `allowed 93\.184\.216\.34 \(--allow-target "\*\.example\.com"\)`},
		{name: "allowed by CIDR", args: []string{"--allow-target", "198.51.100.0/24", "http://api.staging.example/"}, wantCode: 0,
			wantStdout: `(?s)allowed 198\.51\.100\.10 .*allowed 198\.51\.100\.11 `},
		{name: "one of several addresses not allowed", args: []string{"--allow-target", "198.51.100.0/24", "http://half.example.com/"}, wantCode: 4,
			wantStderr: `target 93\.184\.216\.34 \(half\.example\.com\) refused`},
		{name: "local name resolving to a public address", args: []string{"http://evil.internal/"}, wantCode: 4,
			wantStderr: `8\.8\.8\.8 \(evil\.internal\) refused by default: \*\.internal is a local name, but it resolves to a public address`},
		{name: "deny over allow", args: []string{"--config", deny, "--allow-target", "www.example.com", "http://www.example.com/"}, wantCode: 4,
			wantStderr: `target 93\.184\.216\.34 \(www\.example\.com\) refused by targets\.deny "93\.184\.216\.0/24"; remove the entry`},
		{name: "deny by name over allow", args: []string{"--config", deny, "--allow-target", "198.51.100.0/24", "http://api.staging.example/"}, wantCode: 4,
			wantStderr: `refused by targets\.deny "\*\.staging\.example"`},
		{name: "config allow", args: []string{"--config", deny, "http://ok.example.com/"}, wantCode: 0,
			wantStdout: `allowed 198\.51\.100\.20 \(targets\.allow "\*\.example\.com"\)`},
		{name: "deny applies to each address of an allowed name", args: []string{"--config", deny, "http://half.example.com/"}, wantCode: 4,
			wantStdout: `(?s)refused 93\.184\.216\.34 \(targets\.deny "93\.184\.216\.0/24"\).*allowed 198\.51\.100\.99 \(targets\.allow "\*\.example\.com"\)`},
		{name: "malformed entry", args: []string{"--allow-target", "a*b", local}, wantCode: 1, wantStderr: `target policy: --allow-target "a\*b"`},
		{name: "unresolvable", args: []string{"http://nowhere.example/"}, wantCode: 1, wantStderr: `unable to resolve nowhere\.example:http Name or service not known`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr testutil.SyncBuffer
			code := run(append([]string{"--dry-run"}, tt.args...), testEnv(&stdout, &stderr))
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, stdout.String(), stderr.String())
			}
			if tt.wantStdout != "" && !regexp.MustCompile(tt.wantStdout).MatchString(stdout.String()) {
				t.Errorf("stdout %q does not match %q", stdout.String(), tt.wantStdout)
			}
			if tt.wantStderr != "" && !regexp.MustCompile(tt.wantStderr).MatchString(stderr.String()) {
				t.Errorf("stderr %q does not match %q", stderr.String(), tt.wantStderr)
			}
		})
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("dry runs opened %d connections", n)
	}
}

// TestTargetPolicyRefusesRun: a real run (no --dry-run) to a denied
// loopback address is refused with exit 4 before any connection.
func TestTargetPolicyRefusesRun(t *testing.T) {
	t.Parallel()
	url, conns := countingListener(t)
	cfg := writeConfig(t, "targets:\n  deny: [\"127.0.0.0/8\"]\n")
	var stdout, stderr testutil.SyncBuffer
	code := run([]string{"--config", cfg, "--allow-target", "127.0.0.1", "-d1", url}, testEnv(&stdout, &stderr))
	if code != 4 || !strings.Contains(stderr.String(), `refused by targets.deny "127.0.0.0/8"`) || stdout.String() != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connections opened", n)
	}
}

func TestDryRunPlan(t *testing.T) {
	t.Parallel()
	url, conns := countingListener(t)
	good := writeScript(t, "good.lua", "function request() return wrk.format() end\nfunction init() wrk.connect(wrk.lookup(wrk.host, wrk.port)[1]) end\n")
	bad := writeScript(t, "bad.lua", "os.execute(\"id\")\n")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
	}{
		{name: "plan", args: []string{"-t3", "-c30", "-d2m", url}, wantCode: 0,
			wantStdout: `(?s)Plan for http://127\.0\.0\.1:\d+/ \(dry run: nothing is sent\)\n  Target:      127\.0\.0\.1, service \d+\n` +
				`  Address:     allowed 127\.0\.0\.1 \(default: loopback\)\n  Policy:      allowed\n  Lint:        no script\n` +
				`  Threads:     3\n  Connections: 30\n  Duration:    2m0s\n  Rate:        unlimited.*\n  Limits:      1000 connections, 64 threads, 10m0s, 100000 req/s\n  Confirm:     not needed\n$`},
		{name: "script linted, never run", args: []string{"-s", good, url}, wantCode: 0, wantStdout: `Lint:        .*good\.lua: passed`},
		{name: "lint refusal reported in the plan", args: []string{"-s", bad, url}, wantCode: 3, wantStdout: `Lint:        .*bad\.lua: refused: 1 finding\(s\) at or above error`},
		{name: "http2 in the plan", args: []string{"--http2=auto", "-m", "8", url}, wantCode: 0,
			wantStdout: `(?s)Rate:        unlimited.*\n  HTTP/2:      auto, up to 8 streams per connection\n  Limits:`},
		{name: "rate above the limit", args: []string{"-R", "200k", url}, wantCode: 0,
			wantStdout: `(?s)Rate:        200000 requests/s \(constant, -R\).*Confirm:     needed \(rate 200000/s > limits\.rate 100000/s\)`},
		{name: "above the limits", args: []string{"-c2000", "-d1h", url}, wantCode: 0,
			wantStdout: `Confirm:     needed \(2000 connections > limits\.connections 1000, duration 1h0m0s > limits\.duration 10m0s\)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr testutil.SyncBuffer
			code := run(append([]string{"--dry-run"}, tt.args...), testEnv(&stdout, &stderr))
			if code != tt.wantCode || !regexp.MustCompile(tt.wantStdout).MatchString(stdout.String()) {
				t.Errorf("exit %d (want %d), stdout:\n%s\nwant %q\nstderr: %s", code, tt.wantCode, stdout.String(), tt.wantStdout, stderr.String())
			}
		})
	}
	// Give a wrongly sent connection time to be accepted and counted.
	time.Sleep(50 * time.Millisecond)
	if n := conns.Load(); n != 0 {
		t.Errorf("--dry-run opened %d connections", n)
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	url, conns := countingListener(t)
	cfg := writeConfig(t, "limits:\n  connections: 2\n  duration: 30s\n")
	var stdout, stderr testutil.SyncBuffer
	code := run([]string{"--config", cfg, "-t1", "-c4", "-d1", url}, testEnv(&stdout, &stderr))
	if code != 4 || !strings.Contains(stderr.String(), "run refused: above the limits (4 connections > limits.connections 2); no terminal to confirm on: pass --yes") {
		t.Errorf("no TTY: exit %d, stderr %q", code, stderr.String())
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("refused run opened %d connections", n)
	}

	live := startHTTP(t)
	stdout, stderr = testutil.SyncBuffer{}, testutil.SyncBuffer{}
	code = run([]string{"--config", cfg, "--yes", "-t1", "-c4", "-d1", live}, testEnv(&stdout, &stderr))
	if code != 0 || !strings.Contains(stdout.String(), "requests in") || !strings.Contains(stderr.String(), "going ahead: --yes") {
		t.Errorf("--yes: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// TestConfirmPrompt answers the confirmation through a pseudo-terminal, as
// an operator would.
func TestConfirmPrompt(t *testing.T) {
	t.Parallel()
	live := startHTTP(t)
	cfg := writeConfig(t, "limits:\n  duration: 500ms\n")
	tests := []struct {
		name     string
		answer   string
		wantCode int
	}{
		{"host typed back", "127.0.0.1\n", 0},
		{"wrong host", "prod.example.com\n", 4},
		{"empty line", "\n", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ptmx, tty, err := pty.Open()
			if err != nil {
				t.Skipf("no pseudo-terminal: %v", err)
			}
			defer ptmx.Close()
			defer tty.Close()
			var stdout testutil.SyncBuffer
			e := env{stdin: tty, stdout: &stdout, stderr: tty, resolver: testNames, terminal: term.IsTerminal}
			done := make(chan int, 1)
			go func() { done <- run([]string{"--config", cfg, "-t1", "-c2", "-d1", live}, e) }()
			// Read the prompt, answer it, then keep draining so that
			// the run's later writes to the terminal never block.
			var seen strings.Builder
			buf := make([]byte, 512)
			deadline := time.Now().Add(10 * time.Second)
			for !strings.Contains(seen.String(), "to go ahead: ") {
				if time.Now().After(deadline) {
					t.Fatalf("no prompt; terminal shows %q", seen.String())
				}
				n, err := ptmx.Read(buf)
				if err != nil {
					t.Fatalf("reading the terminal: %v (seen %q)", err, seen.String())
				}
				seen.Write(buf[:n])
			}
			if !strings.Contains(seen.String(), "above the limits: duration 1s > limits.duration 500ms") ||
				!strings.Contains(seen.String(), "Type the target host name (127.0.0.1)") {
				t.Errorf("prompt %q", seen.String())
			}
			if _, err := ptmx.Write([]byte(tt.answer)); err != nil {
				t.Fatal(err)
			}
			go func() { _, _ = io.Copy(io.Discard, ptmx) }()
			select {
			case code := <-done:
				if code != tt.wantCode {
					t.Errorf("exit %d, want %d; stdout %q", code, tt.wantCode, stdout.String())
				}
				if ran := strings.Contains(stdout.String(), "requests in"); ran != (tt.wantCode == 0) {
					t.Errorf("ran=%v with exit %d", ran, code)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("run did not finish")
			}
		})
	}
}
