package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/internal/confine"
	"github.com/wrklint/wrklint/internal/testutil"
	"github.com/wrklint/wrklint/runner"
)

const (
	testToken  = "tok-5ecret-value-77"
	testCookie = "sess-c00kie-4242"
)

// secretScript prints an allowed secret environment value (in init, split
// over two writes, and in done) and a session cookie the server sets; it
// reads an allowed file and writes a report below allow.write.
const secretScript = `-- wrklint:ignore-file WL502 -- the test proves run-time redaction
-- wrklint:ignore-file WL501 -- the test proves run-time redaction
local tok = os.getenv("API_TOKEN")
local f = assert(io.open("data/in.txt"))
local input = f:read("*a")
f:close()
function init() print("token " .. tok) io.write(tok:sub(1, 4)) io.write(tok:sub(5), "\n") end
local seen = false
function response(status, headers)
  if not seen then seen = true print("cookie " .. headers["Set-Cookie"]) end
end
function done()
  print("done " .. tok .. " " .. input)
  local out = assert(io.open("out/report.txt", "w"))
  out:write("ok")
  out:close()
end
`

// secretServer answers every request with a session cookie.
func secretServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Set-Cookie", "sid="+testCookie+"; Path=/; HttpOnly")
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// secretDir lays out the script's working directory.
func secretDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"data", "out"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range map[string]string{"main.lua": secretScript, "data/in.txt": "input-data"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var secretArgs = []string{"-t1", "-c1", "-d1", "--quiet", "-s", "main.lua", "--allow-env", "API_TOKEN",
	"--allow-read", "data/*.txt", "--allow-write", "out/", "--audit", "audit.jsonl", "--json", "result.json"}

type auditLine struct {
	Event   string `json:"event"`
	Hook    string `json:"hook"`
	At      string `json:"at"`
	Name    string `json:"name"`
	Path    string `json:"path"`
	Allowed *bool  `json:"allowed"`
	Count   int    `json:"count"`
	Detail  string `json:"detail"`
}

func readAudit(t *testing.T, path string) []auditLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []auditLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.Contains(sc.Text(), testToken) || strings.Contains(sc.Text(), testCookie) {
			t.Errorf("the audit log holds a secret: %s", sc.Text())
		}
		var l auditLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		out = append(out, l)
	}
	return out
}

func checkPrivate(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			t.Error(err)
			continue
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(p), info.Mode().Perm())
		}
	}
}

// TestSecretRunConfined is the check as the wrkrun binary runs it:
// a child process (the test binary as wrkrun's main) confines itself,
// prints an allowed secret, and the value never appears in its output;
// the audit log records the env read; the run still reads its input and
// writes its report, result and audit log (mode 0600).
func TestSecretRunConfined(t *testing.T) {
	t.Parallel()
	url := secretServer(t)
	dir := secretDir(t)
	cmd := exec.Command(os.Args[0], append(secretArgs, url)...) //nolint:gosec // G204: our own binary as wrkrun
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), asMainEnv+"=confined", "API_TOKEN="+testToken)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("wrkrun: %v\n%s", err, out)
	}
	text := string(out)
	for _, secret := range []string{testToken, testToken[4:], testCookie} {
		if strings.Contains(text, secret) {
			t.Errorf("the output shows %q:\n%s", secret, text)
		}
	}
	for _, want := range []string{"token [redacted]\n", "cookie [redacted]\n", "done [redacted] input-data\n", "requests in"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if got, err := os.ReadFile(filepath.Join(dir, "out", "report.txt")); err != nil || string(got) != "ok" {
		t.Errorf("report written under confinement: %q, %v", got, err)
	}
	checkPrivate(t, filepath.Join(dir, "audit.jsonl"), filepath.Join(dir, "result.json"))

	events := readAudit(t, filepath.Join(dir, "audit.jsonl"))
	var env, confined, redactions int
	for _, e := range events {
		switch e.Event {
		case "env":
			if e.Name == "API_TOKEN" && e.Allowed != nil && *e.Allowed && e.Hook == "top level" && e.At == "main.lua:3" {
				env++
			}
		case "confine":
			confined++
			wantABI := confine.ABI() > 0
			if strings.HasPrefix(e.Detail, "landlock ABI") != wantABI {
				t.Errorf("confine event %q with kernel ABI %d", e.Detail, confine.ABI())
			}
		case "redaction":
			redactions += e.Count
		}
	}
	// The top level runs in the main state and in the thread's.
	if env != 2 || confined != 1 || redactions < 4 {
		t.Errorf("audit: %d env reads of API_TOKEN, %d confine events, %d redactions; want 2, 1, >= 4\n%+v", env, confined, redactions, events)
	}
	wantRoot := os.Geteuid() == 0
	if strings.Contains(text, "running as root") != wantRoot {
		t.Errorf("root warning shown: %v, want %v", !wantRoot, wantRoot)
	}
	if confine.ABI() == 0 && !strings.Contains(text, "not confined") {
		t.Errorf("no word about the missing Landlock:\n%s", text)
	}
}

// runChild runs the test binary as wrkrun's unconfined main (TestMain) in
// dir with extra environment variables. A test that needs its own working
// directory or environment runs this way, so that it can run in parallel
// (t.Chdir and t.Setenv would change them for the whole test binary).
func runChild(t *testing.T, dir string, environ []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...) //nolint:gosec // G204: our own binary as wrkrun
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), asMainEnv+"=1"), environ...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("wrkrun %q: %v", args, err)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

// Unconfined runs: redaction is on by default and --no-redact turns it
// off.
func TestRedactionFlag(t *testing.T) {
	t.Parallel()
	url := secretServer(t)
	for _, noRedact := range []bool{false, true} {
		t.Run(fmt.Sprintf("no-redact=%v", noRedact), func(t *testing.T) {
			t.Parallel()
			dir := secretDir(t)
			args := append([]string{}, secretArgs...)
			if noRedact {
				args = append(args, "--no-redact")
			}
			stdout, stderr, code := runChild(t, dir, []string{"API_TOKEN=" + testToken}, append(args, url)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			out := stdout + stderr
			if strings.Contains(out, testToken) != noRedact || strings.Contains(out, testCookie) != noRedact {
				t.Errorf("--no-redact=%v: output %q", noRedact, out)
			}
			// The script's last line comes before the report, not after it.
			if !noRedact && strings.Index(stdout, "cookie [redacted]") > strings.Index(stdout, "Thread Stats") {
				t.Errorf("script output after the report: %q", stdout)
			}
			checkPrivate(t, filepath.Join(dir, "audit.jsonl"), filepath.Join(dir, "result.json"))
		})
	}
}

func TestJSONFileMode(t *testing.T) {
	t.Parallel()
	url := startHTTP(t)
	path := filepath.Join(t.TempDir(), "r.json")
	var stdout, stderr testutil.SyncBuffer
	if code := run([]string{"-t1", "-c1", "-d300ms", "--json", path, url}, testEnv(&stdout, &stderr)); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	checkPrivate(t, path)
}

func TestAuditUnwritable(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/nonexistent/dir/a.jsonl", "-"} {
		var stdout, stderr testutil.SyncBuffer
		code := run([]string{"-t1", "-c1", "-d1", "--audit", path, "http://127.0.0.1:1/"}, testEnv(&stdout, &stderr))
		if code != exitError || !strings.Contains(stderr.String(), "--audit") {
			t.Errorf("--audit %s: exit %d, stderr %q", path, code, stderr.String())
		}
	}
}

func TestStaticDir(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pat   string
		write bool
		want  string
	}{
		{"data/*.txt", false, "data"},
		{"data/in-*.txt", false, "data"},
		{"data/file.txt", false, "data/file.txt"},
		{"reports/", true, "reports"},
		{"reports/out.csv", true, "reports"},
		{"*.csv", true, "."},
		{"/srv/bench/**/x", false, "/srv/bench"},
	}
	for _, tt := range tests {
		if got := staticDir(tt.pat, tt.write); got != tt.want {
			t.Errorf("staticDir(%q, %v) = %q, want %q", tt.pat, tt.write, got, tt.want)
		}
	}
}

func TestConfineSelf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    confine.Status
		err       error
		noConfine bool
		root      bool
		wantErr   bool
		wantCalls int
		stderr    string
	}{
		{name: "enforced", status: confine.Status{ABI: 7, Enforced: true}, wantCalls: 1},
		{name: "no Landlock", status: confine.Status{Reason: "the kernel has no Landlock"}, wantCalls: 1,
			stderr: "wrkrun: warning: not confined: the kernel has no Landlock; the Lua sandbox still applies\n"},
		{name: "root", status: confine.Status{ABI: 7, Enforced: true}, root: true, wantCalls: 1, stderr: "running as root"},
		{name: "--no-confine", noConfine: true, wantCalls: 0},
		{name: "failure", err: errors.New("boom"), wantErr: true, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr testutil.SyncBuffer
			o := defaultOptions(testEnv(&stdout, &stderr))
			o.script, o.jsonPath = "scripts/main.lua", "r.json"
			o.defense.noConfine, o.defense.auditPath = tt.noConfine, "a.jsonl"
			var got []confine.Policy
			o.confine = func(p confine.Policy) (confine.Status, error) { got = append(got, p); return tt.status, tt.err }
			o.euid = func() int {
				if tt.root {
					return 0
				}
				return 1000
			}
			err := o.confineSelf(analyzer.Policy{Read: []string{"data/*.txt"}, Write: []string{"out/"}}, runner.Config{Verify: true})
			if (err != nil) != tt.wantErr || len(got) != tt.wantCalls || !strings.Contains(stderr.String(), tt.stderr) {
				t.Fatalf("err %v, %d calls, stderr %q", err, len(got), stderr.String())
			}
			if tt.stderr == "" && stderr.String() != "" {
				t.Errorf("unexpected stderr %q", stderr.String())
			}
			if len(got) == 1 {
				p := got[0]
				if strings.Join(p.Read, ",") != "scripts,data" || strings.Join(p.Write, ",") != "out" ||
					strings.Join(p.WriteFiles, ",") != "r.json,a.jsonl" || !p.Verify {
					t.Errorf("policy %+v", p)
				}
			}
		})
	}
}

// TestProjectSecretNames: the secrets section of .wrklint.yml decides
// which environment values the redactor masks (defaults otherwise).
func TestProjectSecretNames(t *testing.T) {
	t.Parallel()
	const value = "correct-horse-battery-77"
	url := startHTTP(t)
	script := writeScript(t, "names.lua", "-- wrklint:ignore-file WL502 -- the test proves run-time redaction\n"+
		"local v = os.getenv(\"BENCH_MOTTO\")\nfunction init() print(\"value \" .. v) end\n")
	for _, tt := range []struct {
		name, yml string
		shown     bool
	}{
		{"defaults", "", true},
		{"secrets.env names it", "secrets:\n  env: [\"BENCH_*\"]\n", false},
		{"secrets.not-env exempts it", "secrets:\n  env: [\"BENCH_*\"]\n  not-env: [\"*_MOTTO\"]\n", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := writeConfig(t, "allow:\n  env: [BENCH_MOTTO]\n"+tt.yml)
			// BENCH_MOTTO is not a secret name by default.
			stdout, stderr, code := runChild(t, t.TempDir(), []string{"BENCH_MOTTO=" + value}, "--config", cfg, "-t1", "-c1", "-d200ms", "-s", script, url)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if shown := strings.Contains(stdout, "value "+value); shown != tt.shown {
				t.Errorf("value shown %v, want %v; stdout %q", shown, tt.shown, stdout)
			}
		})
	}
}
