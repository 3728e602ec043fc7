package lualib

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// Seeds for the pattern and format fuzzers. TestFuzzSeedsAgainstLuaJIT
// runs them under luajit too, so every seed is also a differential probe.
var patternSeeds = []struct{ s, p string }{
	{"hello world", "(o)(r)"}, {"hello", "l+"}, {"aaa", "a-"}, {"aaa", "^a-$"}, {"x=1,y=2", "(%w+)=(%w+)"},
	{"f(a(b)c)", "%b()"}, {"THE (quick) fox", "%f[%a]%a+"}, {"abc", "[^%a]"}, {"a]b", "[]]"}, {"a-b", "[a-]"},
	{"abcabc", "(abc)%1"}, {"  x  ", "^%s*(.-)%s*$"}, {"", ""}, {"abc", ""}, {"abc", "()"}, {"\x00\x01\x02", "%z+"},
	{"abc", "%"}, {"abc", "[a"}, {"abc", "(()"}, {"abc", "%b"}, {"abc", "%f"}, {"abc", "%1"}, {"abc", ")"},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "a*a*a*a*a*b"}, {"a.b.c", "%.(%a)"}, {"key: value", "^(%w+):%s*(.*)$"},
	{"2024-01-15", "(%d+)-(%d+)-(%d+)"}, {"[x]", "[[]"}, {"ab", "[%a-z]"}, {"x", "[%]"}, {"x^", "[^^]"},
	{"aaa", "a?a?a?aaa"}, {"hello", "(h)(e)(l)(l)(o)"}, {"\x80\xff", "[\x80-\xff]+"}, {"a\nb", ".+"},
	{"one two", "%f[%w]%w+"}, {"abc", "$"}, {"abc", "^$"}, {"a$b", "a$b"}, {"%d", "%%d"}, {"x", "[%w_]"},
}

var formatSeeds = []struct {
	f string
	n float64
}{
	{"%d", 42}, {"%5.2f", math.Pi}, {"%-8x|", 255}, {"%+.3e", -12345.678}, {"%g", 1e-5}, {"%#o", 8},
	{"%05.1f", -2.5}, {"%.0f", 0.5}, {"%.0f", 1.5}, {"%.0f", 2.5}, {"%.2f", 2.675}, {"%a", 1}, {"%.1a", 1.96875},
	{"%c", 65}, {"%5c|", 66}, {"%q", 12}, {"%s", 1e15}, {"%10.4s|", 123456}, {"%i", -3.9}, {"%u", -1},
	{"%X", 3735928559}, {"%.14g", 0.1}, {"%.17g", 0.1}, {"% d", 7}, {"%+d", 0}, {"%.3d", 5}, {"%x", 2e19},
	{"%d", math.Inf(1)}, {"%f", math.NaN()}, {"%e", math.Inf(-1)}, {"%5.1g", 123456}, {"%#g", 1}, {"%#x", 0},
	{"%99.99f", 1}, {"%100d", 1}, {"%.100f", 1}, {"%y", 1}, {"%", 1}, {"%-5%", 1}, {"%5.3s|", -0.5}, {"%G", 1e-10},
	{"%E", 0}, {"%.0e", 2.5}, {"%.0e", 65}, {"%#.0e", 1}, {"%#.0f", 3}, {"%o", 1e10}, {"%.20g", 1 / 3.0},
}

// luaString writes s as a Lua string literal with decimal escapes only,
// which every Lua reads the same way.
func luaString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "\\%d", s[i])
	}
	b.WriteByte('"')
	return b.String()
}

func luaNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "(0/0)"
	case math.IsInf(f, 1):
		return "(1/0)"
	case math.IsInf(f, -1):
		return "(-1/0)"
	}
	return fmt.Sprintf("%.17g", f)
}

// seedScript is a probe printing what the library does with every seed.
func seedScript() string {
	var b strings.Builder
	for _, c := range patternSeeds {
		s, p := luaString(c.s), luaString(c.p)
		fmt.Fprintf(&b, "print(pcall(string.find, %s, %s))\n", s, p)
		fmt.Fprintf(&b, "print(pcall(string.match, %s, %s))\n", s, p)
		fmt.Fprintf(&b, "print(pcall(string.gsub, %s, %s, \"<%%0>\"))\n", s, p)
		fmt.Fprintf(&b, "print(pcall(function() local r = {} for a, b in string.gmatch(%s, %s) do r[#r+1] = tostring(a) .. \"/\" .. tostring(b) end return table.concat(r, \",\") end))\n", s, p)
	}
	for _, c := range formatSeeds {
		fmt.Fprintf(&b, "print(pcall(string.format, %s, %s))\n", luaString(c.f), luaNumber(c.n))
	}
	return b.String()
}

func TestFuzzSeedsAgainstLuaJIT(t *testing.T) {
	luajitPath(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "seeds.lua"), []byte(seedScript()), 0o600); err != nil {
		t.Fatal(err)
	}
	want := strings.Split(runLuaJIT(t, dir, "seeds.lua"), "\n")
	got := strings.Split(runOurs(t, dir, "seeds.lua"), "\n")
	for i := 0; i < len(want) || i < len(got); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			t.Errorf("seed line %d:\n  luajit: %q\n  ours:   %q", i+1, w, g)
		}
	}
	t.Logf("%d seed lines compared", len(want))
}

// fuzzState is a state with small limits, so that fuzzing finds bound
// violations rather than waiting for large ones.
func fuzzState() *lua.LState {
	var out bytes.Buffer
	return newTestState(&out, Limits{MaxString: 1 << 20, MaxTable: 1 << 12, MaxSteps: 1 << 18})
}

// runFuzz calls the global function f with args and fails on a Go panic
// (a Lua error is fine: the property is no panic, no hang, bounded size).
func runFuzz(t *testing.T, ls *lua.LState, src string, args ...lua.LValue) {
	t.Helper()
	fn, err := ls.LoadString(src)
	if err != nil {
		t.Fatal(err)
	}
	ls.Push(fn)
	for _, a := range args {
		ls.Push(a)
	}
	err = PCall(ls, len(args), lua.MultRet)
	var ae *lua.ApiError
	if errors.As(err, &ae) && ae.Type == lua.ApiErrorPanic {
		t.Fatalf("Go panic: %v", ae.Object)
	}
	for i := 1; i <= ls.GetTop(); i++ {
		if s, ok := ls.Get(i).(lua.LString); ok && len(s) > 1<<20 {
			t.Fatalf("result of %d bytes passes the 1 MiB limit", len(s))
		}
	}
	ls.SetTop(0)
}

const fuzzPatternSrc = `local s, p = ...
local a = {pcall(string.find, s, p)}
local b = {pcall(string.match, s, p, 2)}
local c = {pcall(string.gsub, s, p, "%0%1")}
local d = {pcall(string.gsub, s, p, {x = 1})}
local n = 0
pcall(function() for x in string.gmatch(s, p) do n = n + 1 if n > 1000 then break end end end)
return a[2], b[2], c[2], d[2]`

func FuzzPattern(f *testing.F) {
	for _, c := range patternSeeds {
		f.Add(c.s, c.p)
	}
	f.Fuzz(func(t *testing.T, s, p string) {
		ls := fuzzState()
		defer ls.Close()
		runFuzz(t, ls, fuzzPatternSrc, lua.LString(s), lua.LString(p))
	})
}

const fuzzFormatSrc = `local f, n, s = ...
local r = {pcall(string.format, f, n)}
local q = {pcall(string.format, f, s)}
local t = {pcall(string.format, f, n, s, n, s)}
return r[2], q[2], t[2], tostring(n), tonumber(s), tonumber(s, 16)`

func FuzzFormat(f *testing.F) {
	for _, c := range formatSeeds {
		f.Add(c.f, c.n, "12")
	}
	f.Fuzz(func(t *testing.T, spec string, n float64, s string) {
		ls := fuzzState()
		defer ls.Close()
		runFuzz(t, ls, fuzzFormatSrc, lua.LString(spec), lua.LNumber(n), lua.LString(s))
	})
}

const fuzzTableSrc = `local s, i, j = ...
local t = {}
for k = 1, #s do t[k] = s:sub(k, k) end
pcall(table.insert, t, i, s)
pcall(table.remove, t, j)
pcall(table.sort, t)
pcall(table.sort, t, function(a, b) return #a > #b end)
local ok, c = pcall(table.concat, t, s, i, j)
local u = {pcall(unpack, t, i, j)}
local r = {pcall(string.rep, s, i, s)}
local b = {pcall(string.byte, s, i, j)}
local x = {pcall(string.sub, s, i, j)}
local y = {pcall(bit.tohex, i, j)}
return c, r[2], x[2], y[2]`

func FuzzTable(f *testing.F) {
	f.Add("abc", 2.0, 1.0)
	f.Add("", -1e9, 1e9)
	f.Add("x", 1e18, -2.5)
	f.Fuzz(func(t *testing.T, s string, i, j float64) {
		if len(s) > 256 {
			return
		}
		ls := fuzzState()
		defer ls.Close()
		runFuzz(t, ls, fuzzTableSrc, lua.LString(s), lua.LNumber(i), lua.LNumber(j))
	})
}

// compareWithLuaJIT runs src (a probe printing lines) under luajit and
// under this library and fails when the outputs differ. The *LuaJIT
// fuzzers run one luajit process per input: their seeds and corpus run in
// every go test, and go test -fuzz searches for new differences.
func compareWithLuaJIT(t *testing.T, src string) {
	t.Helper()
	if _, err := exec.LookPath("luajit"); err != nil {
		return
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f.lua"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	want, timedOut := runLuaJITFor(t, dir, "f.lua", 2*time.Second)
	if timedOut {
		// A catastrophic pattern: LuaJIT has no step budget, this
		// library stops it; nothing to compare.
		t.Skip("luajit ran longer than 2s")
	}
	got := runOurs(t, dir, "f.lua")
	if want != got {
		t.Fatalf("differs from luajit:\n%s\n--- luajit:\n%s--- ours:\n%s", src, want, got)
	}
}

func FuzzPatternLuaJIT(f *testing.F) {
	for _, c := range patternSeeds {
		f.Add(c.s, c.p)
	}
	f.Fuzz(func(t *testing.T, s, p string) {
		if len(s) > 64 || len(p) > 16 {
			return
		}
		ls, lp := luaString(s), luaString(p)
		compareWithLuaJIT(t, fmt.Sprintf("print(pcall(string.find, %s, %s))\nprint(pcall(string.match, %s, %s))\nprint(pcall(string.gsub, %s, %s, \"<%%0>\"))\n", ls, lp, ls, lp, ls, lp))
	})
}

func FuzzFormatLuaJIT(f *testing.F) {
	for _, c := range formatSeeds {
		f.Add(c.f, c.n)
	}
	f.Fuzz(func(t *testing.T, spec string, n float64) {
		if len(spec) > 16 {
			return
		}
		compareWithLuaJIT(t, fmt.Sprintf("print(pcall(string.format, %s, %s))\nprint(tostring(%s), tonumber(%s))\n", luaString(spec), luaNumber(n), luaNumber(n), luaString(spec)))
	})
}

func FuzzTableLuaJIT(f *testing.F) {
	f.Add("abc", 2.0, 1.0)
	f.Add("", -1.0, 3.0)
	f.Add("hello", 0.5, -2.0)
	f.Fuzz(func(t *testing.T, s string, i, j float64) {
		if len(s) > 16 || math.Abs(i) > 1e4 || math.Abs(j) > 1e4 {
			return
		}
		src := fmt.Sprintf(`local s, i, j = %s, %s, %s
local function show(...) local r = {...} for k = 1, select("#", ...) do r[k] = tostring(r[k]) end print(select("#", ...), table.concat(r, "|")) end
-- Each operation gets a fresh sequence: after an insert or remove, # of
-- a table may be another border under each VM (an accepted difference).
local function fresh() local t = {} for k = 1, #s do t[k] = s:sub(k, k) end return t end
local t = fresh()
show(pcall(table.insert, t, math.max(1, math.min(#t + 1, i)), "x"))
show(#t, t[1], t[#t])
show(pcall(table.remove, fresh(), j))
show(pcall(table.remove, fresh()))
show(pcall(table.concat, fresh(), s, i, j))
show(pcall(unpack, fresh(), i, j))
show(pcall(string.sub, s, i, j))
show(pcall(string.byte, s, i, j))
show(pcall(string.rep, s, i, s))
show(pcall(string.find, s, s, i))
show(pcall(bit.tohex, i, j))
show(pcall(bit.lshift, i, j))
show(pcall(math.fmod, i, j))
show(pcall(string.format, "%%5.2f|%%d|%%x|%%g", i, j, i, j))
`, luaString(s), luaNumber(i), luaNumber(j))
		compareWithLuaJIT(t, src)
	})
}
