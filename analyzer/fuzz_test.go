package analyzer

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// everythingRule exercises every query a rule can make, so the fuzzer
// reaches all of the engine's results.
var everythingRule = &Rule{ID: "WL901", Name: "Everything", Level: LevelNote, Run: func(p *Pass) error {
	for _, r := range p.Refs() {
		v := p.Values(r.Expr)
		_, _ = v.ConstString()
		_ = p.Folds(r.Expr)
		_ = p.Text(r.Expr)
	}
	for _, c := range p.Calls() {
		_ = c.Arg(0)
		_ = c.ArgExpr(1)
	}
	for _, s := range p.Stores() {
		if s.Target != nil {
			p.Reportf(s.Target, "store")
		}
	}
	return nil
}}

// FuzzAnalyze checks that no input makes the analyzer panic or hang, and
// that every finding has a valid position. The seed corpus is every script
// under testdata/scripts plus a few hostile snippets.
func FuzzAnalyze(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "scripts", "*", "*.lua"))
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{
		"", "#", "#!", "\x1bLJ", "--[[", "[[", "\"\\z", "x = 0x", "local function f(...) return ... end f(f(f()))",
		"a.b.c.d = a", "local t = setmetatable({}, {__index = _G}) t.os.execute()",
		"for k, v in pairs(_G) do v() end", "goto x ::x::", "return", "local a <const> = 1",
		strings.Repeat("(", 250), strings.Repeat("a = a .. a\n", 100), "x = {" + strings.Repeat("{", 199) + strings.Repeat("}", 199) + "}",
		"local é = 1", "s = '\\u{7FFFFFFF}'", "f = function() return f end f()()()",
		// Constructs that move values (issue 12): error values, coroutines,
		// callbacks, metamethods, proxies, package tables, wrk fields.
		"local ok, e = pcall(error, os) e.execute('id')",
		"xpcall(function() error({io}) end, function(e) return e[1] end)",
		"local co = coroutine.wrap(function(a) local b = coroutine.yield(a) return b end) co(os) co(co)",
		"table.sort({os, io}, function(a, b) return a.x < b end) table.foreach(_G, print)",
		"local s = ('x'):gsub('.', os.getenv) ('y'):gsub('.+', {y = io})",
		"local t = setmetatable({}, {__index = t, __newindex = t, __call = t}) t.x = t t()",
		"local m = {} m.__index = m m.__add = m m.__concat = m m.__lt = m setmetatable(m, m) local x = m + m .. m < m",
		"local u = newproxy(true) getmetatable(u).__index = u local v = newproxy(u) v.x()",
		"getmetatable('').__add = function(a, b) return os end local o = ('a') + 1",
		"setmetatable(string, {__index = string}) local x = ('a'):y()",
		"package.loaded[x] = os package.preload.y = function() return require('y') end require('y')",
		"for k, v in pairs({host = 1}) do wrk[k] = v end rawset(wrk, k, v) wrk[k] = wrk",
		"local t = {} t[t] = t for k in pairs(t) do k[k] = k end print(tonumber(k, k), os.date(k))",
		// Implicit flows: tests of pieces, exits from tested branches,
		// lengths and lookups (implicit.go).
		"local s = os.getenv('K') for i = 1, #s do for c = 0, 255 do if s:byte(i) == c then break end end end",
		"local s = os.getenv('K') local function f(i) if s:sub(i, i) > 'a' then return f(i + 1) end goto x ::x:: end f(1)",
		"local s = os.getenv('K') repeat local n = #s:rep('x', s:byte(1)) until not (s:find(n, n, true) == n)",
		"local s = os.getenv('K') local t = {s:byte(1, -1)} while t[s:byte(#t)] do t[#t + 1] = s:gsub('.', t) end",
		"local s = os.getenv('K') for c in s:gmatch('.') do for i = 1, c:byte() do print(tonumber(i) < c, not c) end end",
		// Exit status, DNS names, generated candidates, gsub counts, library
		// metatables, coroutine status (sound3).
		"local s = os.getenv('K') if s:byte(#s) > 64 then os.exit(s:byte(1)) end assert(false, s) wrk.lookup(s .. '.x', 53)",
		"function response(_, h, b) for c = 0, 255 do local _, n = b:gsub(string.char(c), '') if b:find(c .. c, 1, true) then os.exit(n) end end end",
		"for d = 1, 3 do local x = ('v' .. d):find(tostring(d)) end for i = 1, 1e9, 0 do end for i = 0x10, 1, -0.5 do end",
		"setmetatable(string, {__index = os}) local y = ({...})[1] y:execute() setmetatable(wrk.headers, {__newindex = print}) wrk.headers.a = y",
		"local co = coroutine.create(error) coroutine.resume(co, os) print(coroutine.status(co), coroutine.status(nil))",
		"wrk.method = 'CONNECT' wrk.path = 'h:1' return wrk.format('connect', 'x:' .. wrk.port), 'CONNECT a:1 HTTP/1.1'",
		"local function f() setfenv(1, os) return remove, f end setfenv(f, io) setfenv(f, {f = f}) local e = {} setfenv(f, e) e.e = e f()",
		"for k, v in pairs(io) do v(k) end for k, v in next, os do v(v) end",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		done := make(chan []Finding, 1)
		go func() { done <- AnalyzeSource("fuzz.lua", src, []*Rule{testRule, everythingRule}, &Policy{}) }()
		var fs []Finding
		select {
		case fs = <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("analysis of %d bytes did not finish in 20s", len(src))
		}
		// The fast solver must find what the strict one finds.
		strict := Analyze("fuzz.lua", src, &Options{Rules: []*Rule{testRule, everythingRule}, strict: true})
		if a, b := findingKeys(fs), findingKeys(strict); a != b {
			t.Fatalf("fast and strict solvers differ on %q:\nfast:   %s\nstrict: %s", src, a, b)
		}
		lines := strings.Count(string(src), "\n") + 1
		for _, fd := range fs {
			if fd.Start.Line < 1 || fd.Start.Line > lines || fd.Start.Column < 1 || fd.End.Offset < fd.Start.Offset {
				t.Fatalf("bad position %+v in %q", fd, src)
			}
			if fd.RuleID == "WL001" && strings.Contains(fd.Message, "internal analyzer error") {
				t.Fatalf("internal error: %s in %q", fd.Message, src)
			}
		}
	})
}

func findingKeys(fs []Finding) string {
	SortFindings(fs)
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%d:%d:%s:%s;", f.Start.Line, f.Start.Column, f.RuleID, f.Message)
	}
	return b.String()
}

// FuzzProgram checks programs of two files, main.lua and the module m.lua
// it may require: no panic, no hang, the fast solver agrees with the strict
// one, and every finding names one of the files with a position inside it.
func FuzzProgram(f *testing.F) {
	for _, s := range [][2]string{
		{"local m = require('m') function response(s, h, b) m.f(b) end", "return {f = function(x) print(x) end}"},
		{"local m = require('m') print(m())", "return function() return os.getenv('API_TOKEN') end"},
		{"require('m') require('m')", "require('m') return ..."},
		{"local m = require('m') m.x = os m.go()", "local M = {} function M.go() M.x.execute('id') end return M"},
		{"package.path = './?.lua;' .. package.path require('m')", "#!/usr/bin/lua\nreturn 1"},
		{"require('m')", "end os.execute('id') do"},
		{"require('m')", "local x = = 1"},
		{"return require('m')", "return"},
		{"local t = {require('m')} t[1].f(t)", "local M = {} M.f = function(t) t[1] = M end return M"},
	} {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, main, mod []byte) {
		dir := t.TempDir()
		mainPath, modPath := filepath.Join(dir, "main.lua"), filepath.Join(dir, "m.lua")
		if err := os.WriteFile(mainPath, main, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(modPath, mod, 0o600); err != nil {
			t.Fatal(err)
		}
		rules := []*Rule{testRule, everythingRule}
		done := make(chan *ProgramResult, 1)
		go func() { done <- AnalyzeProgram(mainPath, main, &Options{Rules: rules}) }()
		var res *ProgramResult
		select {
		case res = <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("analysis of %d+%d bytes did not finish in 20s", len(main), len(mod))
		}
		strict := AnalyzeProgram(mainPath, main, &Options{Rules: rules, strict: true})
		if a, b := programKeys(res.Findings), programKeys(strict.Findings); a != b {
			t.Fatalf("fast and strict solvers differ on %q, %q:\nfast:   %s\nstrict: %s", main, mod, a, b)
		}
		srcs := map[string][]byte{mainPath: main, modPath: mod}
		for _, fd := range res.Findings {
			src, ok := srcs[fd.File]
			if !ok {
				t.Fatalf("finding in %q, not a file of the program: %+v", fd.File, fd)
			}
			lines := strings.Count(string(src), "\n") + 1
			if fd.Start.Line < 1 || fd.Start.Line > lines || fd.Start.Column < 1 || fd.End.Offset < fd.Start.Offset || fd.End.Offset > len(src) {
				t.Fatalf("bad position %+v in %q", fd, src)
			}
			if fd.RuleID == "WL001" && strings.Contains(fd.Message, "internal analyzer error") {
				t.Fatalf("internal error: %s in %q, %q", fd.Message, main, mod)
			}
		}
	})
}

func programKeys(fs []Finding) string {
	SortFindings(fs)
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s:%d:%d:%s:%s;", filepath.Base(f.File), f.Start.Line, f.Start.Column, f.RuleID, f.Message)
	}
	return b.String()
}
