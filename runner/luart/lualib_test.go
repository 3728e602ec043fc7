package luart

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/internal/testutil"
)

// TestLuaJITLibrary checks that scripts see the library layer
// (internal/lualib): LuaJIT's number formatting in print and io.write,
// the bit module through the global and require, string.rep with a
// separator, frontiers, and tonumber's forms.
func TestLuaJITLibrary(t *testing.T) {
	src := `
local bit2 = require("bit")
print(1e15, 10/3, math.huge, -math.huge, math.pi, tostring(2^63))
io.write(1e15, " ", 0.1, "\n")
print(bit2 == bit, bit.band(0xff, 0x0f), bit.tohex(-1), bit.lshift(1, 31))
print(string.rep("ab", 3, ","), ("THE (quick) fox"):find("%f[%a]%a+", 5))
print(tonumber("1e2"), tonumber("  0x10  "), tonumber("z", 36), tonumber("0x1p4"))
print(string.format("%5.1f|%q|%s", 2.25, "a\0b", setmetatable({}, {__tostring = function() return "T" end})))
print(pcall(string.format, "%d"))
print(select("#", ("abc"):find("", 10)), math.random(0))
`
	_, out, _ := load(t, "lib.lua", src, Options{Threads: 1})
	want := "1e+15\t3.3333333333333\tinf\t-inf\t3.1415926535898\t9.2233720368548e+18\n" +
		"1e+15 0.1\n" +
		"true\t15\tffffffff\t-2147483648\n" +
		"ab,ab,ab\t6\t10\n" +
		"100\t16\t35\t16\n" +
		"  2.3|\"a\\0b\"|T\n" +
		"false\tbad argument #2 to '?' (value expected)\n" +
		"2\t1\n"
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

// TestRecursionDepth: DeathStarBench builds random strings recursively;
// LuaJIT allows about 21,800 nested calls; a runaway recursion ends with
// LuaJIT's "stack overflow", fast and without exhausting memory.
func TestRecursionDepth(t *testing.T) {
	src := `
local charset = {}
for c = 48, 57 do charset[#charset + 1] = string.char(c) end
for c = 97, 122 do charset[#charset + 1] = string.char(c) end
local function stringRandom(length)
  if length > 0 then return stringRandom(length - 1) .. charset[math.random(1, #charset)] end
  return ""
end
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(#stringRandom(256), depth(20000))
local ok, err = pcall(depth, 1e6)
print(ok, err)
local calls = 0
function request()
  calls = calls + 1
  if calls > 1 then return depth(1e6) end
  return wrk.format()
end
`
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	// A minute per hook: the chunk's 20,000 nested calls and overflow
	// took more than the default second under the race detector on a
	// loaded machine; what is bounded here is memory, and the time of
	// the overflows below.
	s, out, _ := load(t, "deep.lua", src, Options{Threads: 1, HookTimeout: time.Minute})
	runtime.ReadMemStats(&ms)
	// The main state ran 20,000 nested calls and one overflow: the
	// call stack (fixed, 21,825 frames) and the data stack at its peak.
	t.Logf("main state with one overflow: %.1f MiB allocated", float64(ms.TotalAlloc-before)/(1<<20))
	if ms.TotalAlloc-before > 64<<20 {
		t.Errorf("the main state allocated %d bytes", ms.TotalAlloc-before)
	}
	if got, want := out.String(), "256\t20000\nfalse\tdeep.lua:9: stack overflow\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
	th, err := s.NewThread(0)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before = ms.TotalAlloc
	start := time.Now()
	for range 5 {
		if _, err := th.Request(nil); err == nil || !strings.Contains(err.Error(), "stack overflow") {
			t.Fatalf("request() error = %v, want a stack overflow", err)
		}
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&ms)
	alloc := ms.TotalAlloc - before
	t.Logf("5 overflows in request(): %v, %.1f MiB allocated", elapsed, float64(alloc)/(1<<20))
	// Each overflow fills the call stack once; gopher-lua's traceback
	// (quadratic in the depth) would take about a second per overflow.
	if elapsed > 5*time.Second {
		t.Errorf("5 overflows took %v", elapsed)
	}
	if alloc > 64<<20 {
		t.Errorf("5 overflows allocated %d bytes", alloc)
	}
}

// TestFormatToString: wrk.format converts header values (and method and
// path) with tostring, as wrk.lua's string.format("%s: %s") does.
func TestFormatToString(t *testing.T) {
	src := `
local obj = setmetatable({}, {__tostring = function() return "obj" end})
io.write(wrk.format("GET", "/", {["X-N"] = 1e15, ["X-B"] = true, ["X-O"] = obj}))
`
	_, out, _ := load(t, "fmt.lua", src, Options{Threads: 1})
	for _, want := range []string{"X-N: 1e+15\r\n", "X-B: true\r\n", "X-O: obj\r\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("request %q lacks %q", out.String(), want)
		}
	}
}

// TestModuleRewrite: modules loaded with require get the same LuaJIT
// number formatting in ".." as the main script, and the rewrite's helpers
// do not stay visible in _G.
func TestModuleRewrite(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fmtmod.lua"), []byte(`local M = {} function M.show(x) return "v=" .. x end return M`), 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "main.lua")
	src := `
local m = require("fmtmod")
local hidden = 0
for k in pairs(_G) do if type(k) == "string" and k:byte(1) == 0 then hidden = hidden + 1 end end
print(m.show(1e15), m.show(10/3), "main " .. 2^63, hidden)`
	var out testutil.SyncBuffer
	s, err := New(script, []byte(src), Options{URL: "http://127.0.0.1/", Threads: 1, Stdout: &out,
		Policy: config.Policy{Modules: []string{"fmtmod"}}})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if got, want := out.String(), "v=1e+15\tv=3.3333333333333\tmain 9.2233720368548e+18\t0\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}
