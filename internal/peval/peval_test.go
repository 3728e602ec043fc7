package peval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"

	"github.com/wrklint/wrklint/bench/luagen"
	"github.com/wrklint/wrklint/internal/luasrc"
)

func evaluate(t *testing.T, src string) []Emission {
	t.Helper()
	chunk, err := parse.Parse(strings.NewReader(src), "t.lua")
	if err != nil {
		t.Fatal(err)
	}
	out, err := Run(context.Background(), "t.lua", chunk, nil, Options{Budget: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRun(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Emission // each must be emitted
		not  []string   // values that must not be emitted
	}{
		{
			name: "reversed header at top level",
			src:  "local t = ('3210fedcba9876543210fedcba987654 reraeB'):reverse()\nwrk.headers['Authorization'] = t\n",
			want: []Emission{{Line: 2, Via: "wrk.headers", Key: "Authorization", Value: "Bearer 456789abcdef0123456789abcdef0123"}},
		},
		{
			name: "decoded in request(), sent through wrk.format",
			src: "local function dec(h) return (h:gsub('..', function(x) return string.char(tonumber(x, 16)) end)) end\n" +
				"function request()\n  return wrk.format('GET', '/', {['X-Api-Key'] = dec('6b65792d31323334')})\nend\n",
			want: []Emission{{Line: 3, Via: "wrk.format", Key: "X-Api-Key", Value: "key-1234"}},
		},
		{
			name: "whole headers table assigned",
			src:  "wrk.headers = {Cookie = 'sid=' .. string.rep('a', 3)}\n",
			want: []Emission{{Line: 1, Via: "wrk.headers", Key: "Cookie", Value: "sid=aaa"}},
		},
		{
			name: "joined across setup and thread:set",
			src:  "local a = 'abc'\nfunction setup(thread)\n  thread:set('tok', a .. 'def')\nend\n",
			want: []Emission{{Line: 3, Via: "thread:set", Key: "tok", Value: "abcdef"}},
		},
		{
			name: "run-time values differ between runs and are dropped",
			src: "math.randomseed(os.time())\nfunction request()\n  wrk.headers['X-Token'] = tostring(math.random(1e9)) .. os.getenv('T')\n" +
				"  return wrk.format(nil, '/' .. os.time())\nend\n",
			not: []string{"GET /"},
		},
		{
			name: "values that count calls differ between runs and are dropped",
			src: "local n = 0\nfunction request()\n  n = n + 1\n" +
				"  return wrk.format('POST', '/login', nil, string.format('user=u%05d&password=%08d', n, n))\nend\n",
			not: []string{"password=0", "u0000"}, // the counted values; the constant "&password=" between them may stay,
		},
		{
			name: "constant ends beside a random value are kept, a token touching it is not",
			src: "local k = ('abcdef'):rep(2)\nfunction request()\n" +
				"  return wrk.format('GET', '/q?page=' .. math.random(1, 99) .. '&key=' .. k, {['X-Id'] = 'id' .. math.random(1, 99) .. 'zzzz'})\nend\n",
			want: []Emission{{Line: 3, Via: "wrk.format", Key: "path", Value: "&key=abcdefabcdef"}},
			not:  []string{"zzzz"},
		},
		{
			name: "thread:set sets a global that later hooks read",
			src:  "function setup(thread)\n  thread:set('tok', ('zyx'):reverse())\nend\nfunction init()\n  wrk.headers['X-Tok'] = tok .. '-42'\nend\n",
			want: []Emission{{Line: 5, Via: "wrk.headers", Key: "X-Tok", Value: "xyz-42"}},
		},
		{
			name: "os.date of a given time in UTC is the real date, the clock's is not",
			src: "local shift = tonumber(os.date('!%Y', 0)) % 64\n" +
				"wrk.headers['X-Key'] = ('abcdefghijklmnopqrstuvwxyz'):sub(shift % 26 + 1)\n" +
				"wrk.headers['X-Year'] = os.date('%Y', 0) .. os.date('!%Y')\n",
			want: []Emission{{Line: 2, Via: "wrk.headers", Key: "X-Key", Value: "yz"}},
			not:  []string{"1970", "date-"},
		},
		{
			name: "require of a library the state has",
			src:  "local b = require('bit')\nwrk.headers['X-K'] = string.char(b.bxor(49, 88), b.bxor(50, 88))\nlocal ok = pcall(require, 'socket')\nwrk.headers['X-S'] = tostring(ok)\n",
			want: []Emission{{Line: 2, Via: "wrk.headers", Key: "X-K", Value: "ij"}, {Line: 4, Via: "wrk.headers", Key: "X-S", Value: "false"}},
		},
		{
			name: "a script error ends the hook, not the evaluation",
			src:  "error('boom')\n",
		},
		{
			name: "runaway loop is stopped by the budget",
			src:  "wrk.headers['A'] = 'before'\nwhile true do end\n",
			want: []Emission{{Line: 1, Via: "wrk.headers", Key: "A", Value: "before"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := evaluate(t, tt.src)
			for _, w := range tt.want {
				found := false
				for _, g := range got {
					if g == w {
						found = true
					}
				}
				if !found {
					t.Errorf("missing %+v in %+v", w, got)
				}
			}
			for _, n := range tt.not {
				for _, g := range got {
					if strings.Contains(g.Value, n) {
						t.Errorf("emitted run-dependent %+v", g)
					}
				}
			}
		})
	}
}

func TestCommonRuns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want []string
	}{
		{"same", "same", []string{"same"}},
		{"/q?page=17&key=abc", "/q?page=4&key=abc", []string{"/q?page=", "&key=abc"}},
		{"/q?page=14&key=abc", "/q?page=4&key=abc", []string{"/q?page=", "&key=abc"}},     // the common "4" is not a token of its own
		{"password=pass0001", "password=pass0003", []string{"password=", ""}},             // the template's word touches the counter
		{"Bearer abc-1 x", "Bearer abc-2 x", []string{"Bearer ", " x"}},                   // - and _ are inside tokens
		{"?id=17&key=k1&t=100", "?id=4&key=k1&t=200", []string{"?id=", "&key=k1&t=", ""}}, // between two varying values
		{"a-1 b c-1", "a-2 b c-2", []string{"", " b ", ""}},
		{"x 1 y 2", "x 1 2 y 3", []string{"x 1 ", ""}}, // different token counts between: only the ends
		{"a", "completely different", []string{"", ""}},
	}
	for _, tt := range tests {
		got := commonRuns(tt.a, tt.b)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("commonRuns(%q, %q) = %q; want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestWorth(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"wrk.headers['Authorization'] = ('3210fedcba9876543210 reraeB'):reverse()", true},
		{"local k = {104, 101, 108, 108, 111, 45, 49, 50}\nlocal s = string.char(unpack(k))", true},
		{"local s = string.char(104, 105)", false},                                                          // nothing long to decode
		{"local path = '/api/v1/items/list'\nfunction request() return wrk.format('GET', path) end", false}, // no decoder
		{"wrk.method = 'POST'\nwrk.body = '{\"a\": 1}'", false},
		// Token fragments joined at run time, and a punctuated password.
		{"local f = {'9Xc2', 'kQ7v', 'Lm3R', 'ghp_'}\nwrk.body = table.concat(f)", true},
		{"local p = ('Cj2#hK7d!Sm0bZxQ'):gsub('.', {})", true},
		// Ordinary lists of words and methods are not fragments.
		{"local steps = {'browse', 'search', 'checkout', 'GET', 'POST'}\nlocal s = table.concat(steps)", false},
		{"local fmt = ('%s: %d requests, %d errors'):gsub('x', 'y')", false},
		// Text packed four bytes to an integer; ordinary numbers are not.
		{"local p = {1345943585, 1985098603, 1078750519}\nlocal s = table.concat({})", true},
		{"local p = {0x50397821, 0x7652336B, 0x404C6D37}\nlocal s = table.concat({})", true},
		{"local codes = {200, 201, 204, 301, 302, 404, 500}\nlocal s = table.concat(codes, ',')", false},
		// Versioned request paths are paths, not pieces of a token.
		{"local paths = {'/v2/cart', '/v1/orders', '/api/v1/users'}\nfunction request() return wrk.format(nil, paths[math.random(#paths)]:sub(1)) end", false},
		// A piece handed to the threads with thread:set and joined there.
		{"function setup(t) t:set('p', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0') end\nfunction init() wrk.headers.A = 'x.' .. p end", true},
		{"function setup(t) t:set('id', 1) end", false},
		{"local k = {104, 101, 108, 108, 111, 45, 49, 50}\nlocal n = 0\nfunction setup(t) n = n + 1 t:set('id', n) end", false}, // a blob, but nothing decodes or hands it over
	}
	for _, tt := range tests {
		chunk, err := parse.Parse(strings.NewReader(tt.src), "t.lua")
		if err != nil {
			t.Fatal(err)
		}
		if got := Worth(chunk); got != tt.want {
			t.Errorf("Worth(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}

func TestRequestCalls(t *testing.T) {
	n := 0
	for _, h := range hooksInOrder {
		if h == "request" {
			n++
		}
	}
	if n != requestCalls {
		t.Fatalf("hooksInOrder calls request() %d times, requestCalls says %d", n, requestCalls)
	}
}

// TestRunWanted: Wanted only decides whether the second run happens; what
// Run returns is still everything both runs emitted.
func TestRunWanted(t *testing.T) {
	const src = "local k = ('dcba'):reverse()\nwrk.headers['X-Key'] = k\nwrk.headers['Accept'] = 'text/' .. 'plain'\n"
	chunk, err := parse.Parse(strings.NewReader(src), "t.lua")
	if err != nil {
		t.Fatal(err)
	}
	all := []Emission{
		{Line: 2, Via: "wrk.headers", Key: "X-Key", Value: "abcd"},
		{Line: 3, Via: "wrk.headers", Key: "Accept", Value: "text/plain"},
	}
	tests := []struct {
		name   string
		wanted func(Emission) bool
		want   []Emission
	}{
		{"nil wants everything", nil, all},
		{"one wanted, all returned", func(e Emission) bool { return e.Key == "X-Key" }, all},
		{"none wanted", func(Emission) bool { return false }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Run(context.Background(), "t.lua", chunk, nil, Options{Budget: 200 * time.Millisecond, Wanted: tt.wanted})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("emission %d: got %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestParserValue checks the precheck's reading of escapes against what
// gopher-lua's parser makes of them.
func TestParserValue(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{`"\99har"`, `'\355har'`, `"\x63har"`, `"\char"`, `"a\nb"`, `"ta\\b"`, `"\116onumber"`, `"sub"`} {
		chunk, err := parse.Parse(strings.NewReader("x = "+raw), "t.lua")
		if err != nil {
			t.Fatal(err)
		}
		want := chunk[0].(*ast.AssignStmt).Rhs[0].(*ast.StringExpr).Value
		got := parserValue([]byte(raw), "lexed")
		if got != want && !(got == "" && !isDecoder(want)) && !(got == "lexed" && !strings.Contains(raw, "\\")) {
			t.Errorf("parserValue(%s) = %q, gopher-lua reads %q", raw, got, want)
		}
	}
}

// TestMayDecode checks the token precheck against Worth: it must hold on
// every file Worth accepts (each case below, the test scripts, a generated
// corpus), and it must reject files that name no decoding function.
func TestMayDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src  string
		want bool
	}{
		{"local s = ('abc'):reverse()", true},
		{"local s = string['char'](104, 105)", true},
		{"local s = string['\\99har'](104, 105)", true}, // gopher-lua decodes this key, not the lexer's way
		{"local b = bit.bxor(1, 2)", true},
		{"function setup(t) t:set('p', 'x' .. y) end", true},
		{"function setup(t) t:set(n, m) end", false},
		{"local function set() end", false},
		{"local s = 'line\\n' .. \"\\tx\"", false},
		{"local n = tonumber('ff', 16)", true},
		{"local path = '/api/v1/items/list'\nfunction request() return wrk.format('GET', path) end", false},
		{"local t = {104, 101, 108, 108, 111, 45, 49, 50, 51}\nwrk.body = t", false},
		{"-- string.char(1) in a comment\nwrk.method = 'POST'", false},
	}
	for _, tt := range tests {
		f, perr := luasrc.Parse("t.lua", []byte(tt.src), nil)
		if perr != nil {
			t.Fatal(perr)
		}
		if got := MayDecode(f.Tokens, f.Src); got != tt.want {
			t.Errorf("MayDecode(%q) = %v, want %v", tt.src, got, tt.want)
		}
		if Worth(f.Chunk) && !MayDecode(f.Tokens, f.Src) {
			t.Errorf("Worth(%q) holds but MayDecode does not", tt.src)
		}
	}
	dir := t.TempDir()
	if err := luagen.Generate(dir, luagen.Options{N: 300, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, pattern := range []string{filepath.Join(dir, "*", "*.lua"), "../../testdata/scripts/*/*.lua", "../../testdata/programs/*/*.lua"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	worth := 0
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, perr := luasrc.Parse(name, src, nil)
		if perr != nil {
			continue
		}
		if Worth(f.Chunk) {
			worth++
			if !MayDecode(f.Tokens, f.Src) {
				t.Errorf("%s: Worth holds but MayDecode does not", name)
			}
		}
	}
	if worth < 20 {
		t.Errorf("only %d of %d files are worth evaluating: the check above proves little", worth, len(files))
	}
}
