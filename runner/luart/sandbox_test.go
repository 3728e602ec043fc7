package luart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/internal/testutil"
)

// forbidden are names that must not exist in any state (gopher-lua's own
// or not in LuaJIT).
var forbidden = []string{
	"_printregs", "channel", "os.setenv",
	"package.loadlib", "package.seeall", "package.loaders",
}

// removedNames exist as in LuaJIT but only raise the sandbox's message.
var removedNames = []string{
	"load", "loadstring", "loadfile", "dofile", "getfenv", "setfenv", "collectgarbage",
	"module", "newproxy", "string.dump", "debug.getinfo", "debug.sethook", "debug.getregistry",
	"debug.getupvalue", "debug.setmetatable", "debug.debug",
	"os.execute", "os.remove", "os.rename", "os.tmpname",
	"io.popen", "io.input", "io.read", "io.tmpfile",
}

func TestForbiddenAbsent(t *testing.T) {
	for _, name := range forbidden {
		t.Run(name, func(t *testing.T) {
			// In the main state (top level) and in a thread state (init).
			expr := name
			src := "assert(" + expr + " == nil, '" + name + " present')\n" +
				"function init() assert(" + expr + " == nil, '" + name + " present in thread') end"
			s, _, _ := load(t, "sb.lua", src, Options{Threads: 1})
			if _, err := s.NewThread(0); err != nil {
				t.Fatal(err)
			}
		})
	}
	for _, name := range removedNames {
		t.Run(name, func(t *testing.T) {
			src := "local ok, err = pcall(" + name + ", 'x')\n" +
				"assert(not ok and err:find('^sb.lua:1: " + strings.ReplaceAll(name, ".", "%.") + " is removed by the wrkrun sandbox: '), err)\n" +
				"function init() assert(not pcall(" + name + ", 'x')) end"
			s, _, _ := load(t, "sb.lua", src, Options{Threads: 1})
			if _, err := s.NewThread(0); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestSandboxEscapes tries the usual ways around a sandbox; each snippet
// must run without error (its asserts state what must hold).
func TestSandboxEscapes(t *testing.T) {
	tests := map[string]string{
		"string metatable": `
local mt = getmetatable("")
assert(mt.__index == string)
assert(not pcall(mt.__index.dump, print) and not pcall(("x").dump, print))`,
		"package.loaded": `
assert(not pcall(package.loaded.os.execute, "id") and not pcall(package.loaded.io.popen, "id"))
assert(not pcall(package.loaded.debug.getregistry) and not pcall(package.loaded._G.loadstring, "x"))
assert(package.loaded.os == os and package.loaded.io == io)`,
		"_G tricks": `
assert(not pcall(_G["load" .. "string"], "return 1"))
assert(not pcall(rawget(_G, "dofile"), "x"))
local env = setmetatable({}, {__index = _G})
assert(not pcall(env.debug.getinfo, 1))
local safe = {time = 1, clock = 1, date = 1, difftime = 1, getenv = 1, exit = 1, setlocale = 1}
for k, f in pairs(os) do
  assert(safe[k] or not pcall(f, "id"), "os." .. k)
end`,
		"coroutines": `
local co = coroutine.wrap(function() return pcall(os.execute, "id") end)
assert(not co())`,
		"require of the standard names": `
assert(not pcall(require("os").execute, "id"))
assert(not pcall(require("string").dump, print))
assert(require("wrk") == wrk)
assert(require("debug") == debug and not pcall(debug.getregistry))
assert(not pcall(require, "ffi"))`,
		"file handles": `
assert(io.stdout ~= nil and io.stdout:write("") == io.stdout)
assert(getmetatable(io.stdout) == false)`,
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			load(t, "escape.lua", src, Options{Threads: 1})
		})
	}
}

func TestSandboxPolicy(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data.txt")
	if err := os.WriteFile(data, []byte("line1\nline2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("s3cr3t"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BENCH_TOKEN", "tok")
	t.Setenv("HOME_SECRET", "no")
	pol := config.Policy{Env: []string{"BENCH_*"}, Read: []string{data}, Write: []string{out + "/"}}
	q := func(s string) string { return `"` + s + `"` }
	tests := []struct {
		name, src, warn string
	}{
		{"allowed env", `assert(os.getenv("BENCH_TOKEN") == "tok")`, ""},
		{"unset allowed env", `assert(os.getenv("BENCH_NONE") == nil)`, ""},
		{"denied env", `assert(os.getenv("HOME_SECRET") == nil)`,
			`wrkrun: os.getenv("HOME_SECRET") denied at policy.lua:1 — allow it with --allow-env HOME_SECRET`},
		{"allowed read", `local f = assert(io.open(` + q(data) + `, "rb")); assert(f:read("*a") == "line1\nline2\n"); f:close()`, ""},
		{"allowed lines", `local n = 0; for l in io.lines(` + q(data) + `) do n = n + 1 end; assert(n == 2)`, ""},
		{"denied read", `local f, err = io.open(` + q(secret) + `); assert(f == nil and err:find("denied"))`,
			`io.open("` + secret + `", "r") denied at policy.lua:1 — allow it with --allow-read ` + secret},
		{"denied lines", `assert(not pcall(io.lines, ` + q(secret) + `))`, `io.lines("` + secret + `") denied`},
		{"read-only file opened for update", `assert(io.open(` + q(data) + `, "r+") == nil)`,
			`allow it with --allow-write ` + dir + "/"},
		{"allowed write", `local f = assert(io.open(` + q(out+"/r.csv") + `, "w")); f:write("a,b\n"); f:close()`, ""},
		{"denied write", `assert(io.open(` + q(dir+"/r.csv") + `, "a") == nil)`, `--allow-write ` + dir + "/"},
		{"stdin", `assert(not pcall(io.lines))`, ""},
		// No allow.modules entry can load these: no warning suggests one.
		{"C module", `local ok, err = pcall(require, "lfs"); assert(not ok and err:find("it is a C module"), err)`, ""},
		{"ffi", `local ok, err = pcall(require, "ffi"); assert(not ok and err:find("FFI calls native code"), err)`, ""},
		{"missing module", `local ok, err = pcall(require, "nomod"); assert(not ok and err:find("there is no .*nomod.lua"), err)`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, warn := load(t, "policy.lua", tt.src, Options{Threads: 1, Policy: pol})
			if tt.warn == "" && warn.String() != "" {
				t.Errorf("unexpected warning %q", warn)
			}
			if !strings.Contains(warn.String(), tt.warn) {
				t.Errorf("warnings %q, want %q", warn, tt.warn)
			}
		})
	}
	if b, err := os.ReadFile(filepath.Join(out, "r.csv")); err != nil || string(b) != "a,b\n" {
		t.Errorf("written file: %q, %v", b, err)
	}
}

func TestWarningOncePerSite(t *testing.T) {
	_, _, warn := load(t, "w.lua", `for i = 1, 3 do os.getenv("X") end
os.getenv("X")`, Options{Threads: 1})
	if n := strings.Count(warn.String(), "denied"); n != 2 {
		t.Errorf("%d warnings, want one per call site (2):\n%s", n, warn)
	}
}

func TestRequireModules(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "lib"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lib", "util.lua"), []byte(`local M = {} function M.twice(x) return 2 * x end return M`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "denied.lua"), []byte(`return {}`), 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "main.lua")
	src := `
local util = require("lib.util")
assert(util.twice(21) == 42)
assert(require("lib.util") == util)
local ok, err = pcall(require, "lib.missing")
assert(not ok and err:find("not found"), err)
local ok, err = pcall(require, "denied")
assert(not ok and err:find("not available in the wrkrun sandbox$"), err)
local json = require("cjson")
assert(require("cjson") == json and require("cjson.safe") ~= json)`
	if err := os.WriteFile(script, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	var warn testutil.SyncBuffer
	_, err := New(script, []byte(src), Options{URL: "http://127.0.0.1/", Threads: 1, Warnings: &warn,
		Policy: config.Policy{Modules: []string{"lib.*"}}})
	if err != nil {
		t.Fatal(err)
	}
	// The module exists: allowing it would work, so the warning says how.
	if want := `require("denied") denied at ` + script + `:7 — allow it with allow.modules: [denied] in .wrklint.yml`; !strings.Contains(warn.String(), want) {
		t.Errorf("warnings %q, want %q", warn.String(), want)
	}
}

func TestOutputStreams(t *testing.T) {
	_, out, _ := load(t, "out.lua", `print("a", 1, nil, true)
io.write("b", 2, "\n")
io.stdout:write("c"):write("d\n")`, Options{Threads: 1})
	if want := "a\t1\tnil\ttrue\nb2\ncd\n"; out.String() != want {
		t.Errorf("output %q, want %q", out, want)
	}
}

// TestHostileScripts checks that runaway code is stopped with a clear
// error instead of hanging, exhausting memory or crashing the process.
func TestHostileScripts(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		opts    Options
		wantErr string
	}{
		{"runaway loop in a hook", `function request() while true do end end`,
			Options{HookTimeout: 100 * time.Millisecond}, "request() ran longer than the script timeout of 100ms (--script-timeout)"},
		{"runaway loop inside pcall", `function request() pcall(function() while true do end end) return "x" end`,
			Options{HookTimeout: 100 * time.Millisecond}, "ran longer than the script timeout"},
		{"runaway loop at the top level", `while true do end`,
			Options{HookTimeout: 100 * time.Millisecond}, "top level ran longer than the script timeout"},
		// string.rep("x", 1e10) is "" under LuaJIT (the count wraps to a
		// negative 32-bit integer); 2^30 fits and is refused before it is
		// allocated, with LuaJIT's message.
		{"huge string.rep", `local s = string.rep("x", 2^30)`, Options{}, "not enough memory"},
		{"huge format width", `local s = string.format("%999999999d", 1)`, Options{}, "invalid option '%999' to 'format'"},
		{"unbounded table growth", `local t = {} local i = 0 while true do i = i + 1 t[i] = string.rep("x", 4096) .. i end`,
			Options{MemoryBudget: 64 << 20, HookTimeout: 20 * time.Second}, "memory budget of 64 MiB exceeded (--script-memory)"},
		// ".." refuses a result past MaxString before building it, with
		// LuaJIT's message (lualib's concat).
		{"string doubling", `local s = "x" while true do s = s .. s end`,
			Options{MemoryBudget: 256 << 20, HookTimeout: 20 * time.Second}, "not enough memory"},
		{"deep recursion", `local function f(n) return 1 + f(n + 1) end f(1)`, Options{}, "stack overflow"},
		{"runtime error", "local x\n\nlocal y = x.field", Options{}, "hostile.lua:3: attempt to index a non-table object(nil) with key 'field' (in top level)"},
		{"error with a table", `error({code = 1})`, Options{}, "table: 0x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The memory budget is checked against the process's live
			// heap: those cases run alone, the others side by side.
			if tt.opts.MemoryBudget == 0 {
				t.Parallel()
			}
			opts := tt.opts
			opts.URL, opts.Threads = "http://127.0.0.1/", 1
			begin := time.Now()
			s, err := New("hostile.lua", []byte(tt.src), opts)
			if err == nil {
				defer s.Close()
				_, err = s.NewThread(0)
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if d := time.Since(begin); d > 10*time.Second {
				t.Errorf("stopped after %v", d)
			}
		})
	}
}

func TestGoPanicRecovered(t *testing.T) {
	s, _, _ := load(t, "panic.lua", `function request() if boom then return boom() end return wrk.format() end`, Options{Threads: 1})
	// A Go builtin that panics stands in for a gopher-lua bug (issue #282).
	for _, th := range []*state{s.main} {
		th.ls.SetGlobal("boom", th.ls.NewFunction(func(*lua.LState) int { panic("index out of range [-1]") }))
	}
	if err := s.Prepare(); err != nil {
		t.Fatal(err)
	}
	th, err := s.NewThread(0)
	if err != nil {
		t.Fatal(err)
	}
	// The thread state is separate: install the same broken builtin there.
	st := th.(*thread).st
	st.ls.SetGlobal("boom", st.ls.NewFunction(func(*lua.LState) int { panic("index out of range [-1]") }))
	_, err = th.Request(nil)
	if err == nil || !strings.Contains(err.Error(), "recovered Go panic: index out of range [-1]") {
		t.Fatalf("err = %v", err)
	}
	// The state is retired: later calls fail the same way, without running Lua.
	if _, err2 := th.Request(nil); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("second call: %v", err2)
	}
}

func TestGuardRecoversPanicOutsidePCall(t *testing.T) {
	s, _, _ := load(t, "g.lua", `-- empty`, Options{Threads: 1})
	err := s.main.guard("done()", func() error { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "recovered Go panic: boom") {
		t.Fatalf("err = %v", err)
	}
}

// TestStuckBuiltin: a Go builtin that ignores the cancellation is reported
// through OnStuck instead of hanging silently.
func TestStuckBuiltin(t *testing.T) {
	t.Parallel()
	stuck := make(chan error, 1)
	s, _, _ := load(t, "stuck.lua", `function request() if slow then slow() end return wrk.format() end`,
		Options{Threads: 1, HookTimeout: 50 * time.Millisecond, OnStuck: func(err error) { stuck <- err }})
	th, err := s.NewThread(0)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	st := th.(*thread).st
	st.ls.SetGlobal("slow", st.ls.NewFunction(func(*lua.LState) int { <-release; return 0 }))
	done := make(chan error, 1)
	go func() { _, err := th.Request(nil); done <- err }()
	select {
	case err := <-stuck:
		if !strings.Contains(err.Error(), "cannot be interrupted") {
			t.Errorf("OnStuck(%v)", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("OnStuck was not called")
	}
	close(release)
	if err := <-done; err == nil || !strings.Contains(err.Error(), "ran longer than the script timeout") {
		t.Errorf("the released call returned %v", err)
	}
}

// TestNestedReadGlob: allow.read: ["data/**/*.txt"] lets the script read a
// nested file at run time, as it keeps the linter quiet about it
// (internal/lintgate's TestNestedReadGlob): both use config.MatchPath.
func TestNestedReadGlob(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // the pattern and the script's path are relative
	for _, name := range []string{"data/a/b/c.txt", "data/a/b/c.csv"} {
		if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte("nested\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	project, err := config.Parse(".wrklint.yml", []byte("allow:\n  read: [\"data/**/*.txt\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, _, warn := load(t, "nested.lua", `
local f = assert(io.open("data/a/b/c.txt"))
assert(f:read("*l") == "nested"); f:close()
assert(io.open("data/a/b/c.csv") == nil)`, Options{Threads: 1, Policy: project.Policy})
	if got := warn.String(); strings.Contains(got, "c.txt") || !strings.Contains(got, `io.open("data/a/b/c.csv", "r") denied`) {
		t.Errorf("warnings %q: want only the .csv denied", got)
	}
}
