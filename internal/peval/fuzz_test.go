package peval

import (
	"context"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/luasrc"
)

// FuzzRun: any chunk the analyzer accepts is evaluated without a panic and
// within a bounded time.
func FuzzRun(f *testing.F) {
	for _, s := range []string{
		"wrk.headers['Authorization'] = ('3210fedcba9876543210 reraeB'):reverse()",
		"local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(i) end",
		"local function f(n) return f(n + 1) .. 'x' end wrk.body = f(1)",
		"setmetatable(_G, {__index = function(t, k) return t[k] end}) wrk.headers.x = y",
		"function request() return coroutine.wrap(function() while true do coroutine.yield(1) end end)() end",
		"wrk.headers = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v:rep(1e7)) end}) wrk.headers.a = 'b'",
		"local s = 'ab12CD34ef56GH78' function request() return wrk.format(nil, s:gsub('%d', string.char)) end",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, ok := parseInput(src)
		if !ok {
			return
		}
		begin := time.Now()
		_, _ = Run(context.Background(), "f.lua", file.Chunk, nil, Options{Budget: 50 * time.Millisecond})
		// Each run stops at its deadline; compiling and closing the
		// state add little.
		if d := time.Since(begin); d > 2*time.Second {
			t.Fatalf("evaluation took %v", d)
		}
	})
}

// FuzzMayDecode: the token precheck never rejects a file Worth accepts.
func FuzzMayDecode(f *testing.F) {
	for _, s := range []string{
		"local s = ('abc'):reverse()",
		"local s = string['\\99har'](104, 105)",
		"function setup(t) t:set('p', 'x' .. y) end",
		"local k = {104, 101, 108, 108, 111, 45, 49, 50}\nlocal s = string.char(unpack(k))",
		"local f = {'9Xc2', 'kQ7v', 'Lm3R', 'ghp_'}\nwrk.body = table.concat(f)",
		"wrk.headers['Authorization'] = ('3210fedcba9876543210 reraeB')[\"rev\\101rse\"](x)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, ok := parseInput(src)
		if !ok {
			return
		}
		if Worth(file.Chunk) && !MayDecode(file.Tokens, file.Src) {
			t.Fatalf("Worth holds but MayDecode does not: %q", src)
		}
	})
}

// parseInput parses a fuzzer's input as the analyzer would, skipping
// inputs too long to be worth the time and those that do not parse.
func parseInput(src string) (*luasrc.File, bool) {
	if len(src) > 1<<14 {
		return nil, false
	}
	file, perr := luasrc.Parse("f.lua", []byte(src), nil)
	return file, perr == nil
}
