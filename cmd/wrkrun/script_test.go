package main

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/testutil"
)

// countingListener counts the connections a run opens (the lint gate must
// refuse a script before any).
func countingListener(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var n atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	return "http://" + ln.Addr().String() + "/", &n
}

func writeScript(t *testing.T, name, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScriptLintGate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		src        string
		flags      []string
		wantCode   int
		wantStderr string // regexp
	}{
		{name: "error finding refuses", src: "os.execute(\"id\")\n", wantCode: 3,
			wantStderr: `(?s)gate\.lua:1:1: error WL103 CommandExecution: .*-- wrklint:ignore WL103 -- .*no allowance concerns WL103.*refused by the lint gate`},
		{name: "warning only with --fail-on warning", src: "local t = os.getenv(\"TOKEN\")\n", flags: []string{"--fail-on", "warning"}, wantCode: 3,
			wantStderr: `(?s)warning WL201.*comment at the end of line 1: -- wrklint:ignore WL201 -- .*or flag: --allow-env TOKEN\n.*env: \["TOKEN"\]`},
		{name: "--allow-env lets it pass the gate", src: "local t = os.getenv(\"TOKEN\")\nfunction request() return wrk.format() end\nfunction init() error('ran') end\n",
			flags: []string{"--fail-on=warning", "--allow-env", "TOKEN"}, wantCode: 1, wantStderr: `gate\.lua:3: ran \(in init\(\), thread 1\)`},
		{name: "syntax error refuses", src: "x = = 1\n", wantCode: 3, wantStderr: `WL001`},
		{name: "--require-lint=false warns and still sandboxes", src: "os.execute('id')\n",
			flags: []string{"--require-lint=false"}, wantCode: 1,
			wantStderr: `(?s)warning: --require-lint=false: .*not linted; it still runs in the sandbox.*gate\.lua:1: os\.execute is removed by the wrkrun sandbox`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			url, accepted := countingListener(t)
			script := writeScript(t, "gate.lua", tt.src)
			var stdout, stderr testutil.SyncBuffer
			args := append([]string{"-t1", "-c1", "-d1", "-s", script}, tt.flags...)
			code := Main(append(args, url), &stdout, &stderr)
			if code != tt.wantCode || !regexp.MustCompile(tt.wantStderr).MatchString(stderr.String()) {
				t.Errorf("exit %d (want %d), stderr:\n%s\nwant %s", code, tt.wantCode, stderr.String(), tt.wantStderr)
			}
			if tt.wantCode == 3 && accepted.Load() != 0 {
				t.Errorf("a refused script opened %d connections", accepted.Load())
			}
		})
	}
}

func TestScriptRun(t *testing.T) {
	t.Parallel()
	url := startHTTP(t)
	script := writeScript(t, "count.lua", `
local n = 0
function setup(thread) thread:set("id", 7) end
function init(args) io.write("init ", args[1], " ", id, "\n") end
function request() n = n + 1 return wrk.format(nil, "/" .. n) end
function response(status) if status ~= 200 then error("status " .. status) end end
function done(summary, latency, requests)
  io.write(string.format("done %d %s\n", summary.requests, tostring(latency:percentile(100) == latency.max)))
end
`)
	var stdout, stderr testutil.SyncBuffer
	code := Main([]string{"-t1", "-c2", "-d1", "-s", script, url, "extra"}, &stdout, &stderr)
	out := stdout.String()
	if code != 0 || !strings.HasPrefix(out, "init extra 7\nRunning 1s test") ||
		!regexp.MustCompile(`(?s)(\d+) requests in .*\ndone \d+ true\n$`).MatchString(out) {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", code, out, stderr.String())
	}
}

func TestScriptMissing(t *testing.T) {
	t.Parallel()
	var stdout, stderr testutil.SyncBuffer
	code := Main([]string{"-s", "/nonexistent/x.lua", "http://127.0.0.1:1/"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "cannot open /nonexistent/x.lua") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestScriptFailures: a failing or runaway script ends wrkrun with exit 1
// and a message naming the script, whether it fails before or during the run.
func TestScriptFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src  string
		flags      []string
		wantStderr string
	}{
		{name: "runaway request() at the start-up check", src: "function request() while true do end end",
			flags: []string{"--script-timeout", "100ms"}, wantStderr: `request\(\) ran longer than the script timeout of 100ms \(--script-timeout\)`},
		{name: "runaway response() during the run", src: "function response() while true do end end",
			flags: []string{"--script-timeout", "100ms"}, wantStderr: `response\(\) ran longer than the script timeout of 100ms`},
		{name: "runtime error during the run", src: "local n = 0\nfunction response()\n  n = n + 1\n  if n > 2 then error('bad response') end\nend",
			wantStderr: `fail\.lua:4: bad response \(in response\(\), thread 1\)`},
		{name: "error in done()", src: "function done() error('no report') end", wantStderr: `fail\.lua:1: no report \(in done\(\)\)`},
		{name: "bad --script-memory", src: "-- ok", flags: []string{"--script-memory", "lots"}, wantStderr: `--script-memory: invalid size`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			url := startHTTP(t)
			script := writeScript(t, "fail.lua", tt.src)
			var stdout, stderr testutil.SyncBuffer
			args := append([]string{"-t1", "-c1", "-d1", "-s", script}, tt.flags...)
			begin := time.Now()
			code := Main(append(args, url), &stdout, &stderr)
			if code != 1 || !regexp.MustCompile(tt.wantStderr).MatchString(stderr.String()) {
				t.Errorf("exit %d, stderr:\n%s\nwant %s", code, stderr.String(), tt.wantStderr)
			}
			if d := time.Since(begin); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}
