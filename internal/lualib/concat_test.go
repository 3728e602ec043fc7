package lualib

import (
	"bytes"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

func compileChunk(tb testing.TB, ls *lua.LState, src string, rewrite bool) *lua.LFunction {
	tb.Helper()
	chunk, err := parse.Parse(strings.NewReader(src), "bench.lua")
	if err != nil {
		tb.Fatal(err)
	}
	if rewrite {
		chunk = RewriteConcat(chunk)
	}
	proto, err := lua.Compile(chunk, "bench.lua")
	if err != nil {
		tb.Fatal(err)
	}
	return ls.NewFunctionFromProto(proto)
}

func TestRewriteConcat(t *testing.T) {
	tests := []struct{ src, want string }{
		{`return 1e15 .. ""`, "1e+15"},
		{`local x = 10/3 return "v=" .. x`, "v=3.3333333333333"},
		{`local t = {1e15} return t[1] .. "|" .. #t .. "|" .. -t[1]`, "1e+15|1|-1e+15"},
		{`local function f() return 2^63 end return f() .. ""`, "9.2233720368548e+18"},
		{`local s = "a" return s .. s .. "b"`, "aab"},
		{`local mt = {__concat = function(a, b) return type(a) .. type(b) end} return setmetatable({}, mt) .. "x"`, "tablestring"},
		{`return (function(...) return select("#", ...) end)(1 .. 2)`, "1"},
		{`local n = 0 for i = 1, 3 do n = n + 0.5 end return "n" .. n`, "n1.5"},
		// A __concat metamethod gets number operands as numbers (LuaJIT).
		{`local mt = {__concat = function(a, b) return type(a) .. type(b) end} return 1 .. setmetatable({}, mt)`, "numbertable"},
		{`local mt = {__concat = function(a, b) return "m" end} local o = setmetatable({}, mt) return "a" .. "b" .. o .. "c" .. 2`, "abm"},
		{`local function f() return "x", "y" end return "a" .. f()`, "ax"},
		{`return (function(...) return select("#", "a" .. ...) end)(1, 2)`, "1"},
		{`return pcall(function() return "x" .. nil end)`, "false"},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		ls := newTestState(&out, Limits{})
		ls.Push(compileChunk(t, ls, tt.src, true))
		if err := PCall(ls, 0, 1); err != nil {
			t.Errorf("%s: %v", tt.src, err)
		} else if got := ls.Get(-1).String(); got != tt.want {
			t.Errorf("%s = %q, want %q", tt.src, got, tt.want)
		}
		ls.Close()
	}
}

// TestConcatSize: a chain is refused before it is built when its result
// would pass MaxString, however many operands it has; below, it is built.
func TestConcatSize(t *testing.T) {
	tests := []struct {
		src     string
		wantErr string
	}{
		{`local s = string.rep("x", 1000) return #(s .. s .. s .. s)`, ""},
		{`local s = string.rep("x", 1000) return #(s .. s .. s .. s .. s)`, "not enough memory"},
		{`local s = string.rep("x", 4096) local t = s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s..s`, "not enough memory"},
		{`local s = "x" for i = 1, 100 do s = s .. s end`, "not enough memory"},
		{`return #("a" .. 1 .. 2.5 .. "b")`, ""},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		ls := newTestState(&out, Limits{MaxString: 4500})
		ls.Push(compileChunk(t, ls, tt.src, true))
		err := PCall(ls, 0, 0)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tt.src, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: err = %v, want %q", tt.src, err, tt.wantErr)
		}
		ls.Close()
	}
}

// BenchmarkConcat compares a request-style path built with ".." with and
// without the rewrite: the difference is the cost of LuaJIT's number
// formatting in concatenation.
func BenchmarkConcat(b *testing.B) {
	src := `local n = 0
return function() n = n + 1 return "/item/" .. n .. "?page=" .. n % 10 end`
	for _, rewrite := range []bool{false, true} {
		name := "gopher-lua"
		if rewrite {
			name = "rewritten"
		}
		b.Run(name, func(b *testing.B) {
			var out bytes.Buffer
			ls := newTestState(&out, Limits{})
			defer ls.Close()
			ls.Push(compileChunk(b, ls, src, rewrite))
			ls.Call(0, 1)
			fn := ls.Get(-1)
			ls.Pop(1)
			for b.Loop() {
				ls.Push(fn)
				ls.Call(0, 1)
				ls.Pop(1)
			}
		})
	}
}

// TestRewriteHidesHelpers: the rewritten chunk's helpers do not stay in
// _G, and a second chunk works after InstallRewriteHelpers.
func TestRewriteHidesHelpers(t *testing.T) {
	var out bytes.Buffer
	ls := newTestState(&out, Limits{})
	defer ls.Close()
	src := `local n = 0 for k in pairs(_G) do if k:byte(1) == 0 then n = n + 1 end end return n .. "|" .. 1e15`
	for range 2 {
		InstallRewriteHelpers(ls)
		ls.Push(compileChunk(t, ls, src, true))
		if err := PCall(ls, 0, 1); err != nil {
			t.Fatal(err)
		}
		if got := ls.Get(-1).String(); got != "0|1e+15" {
			t.Errorf("got %q, want 0|1e+15", got)
		}
		ls.Pop(1)
	}
}
