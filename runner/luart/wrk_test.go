package luart

import (
	"fmt"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/wrklint/wrklint/runner"
)

// TestFormat checks wrk.format against the strings wrk.lua produces,
// including the mutation of the headers table it is given.
func TestFormat(t *testing.T) {
	tests := []struct {
		name, expr, want string
	}{
		{"defaults", `wrk.format()`, "GET /p?q=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n"},
		{"method and path", `wrk.format("DELETE", "/x")`, "DELETE /x HTTP/1.1\r\nHost: example.com:8080\r\n\r\n"},
		{"body sets Content-Length", `wrk.format("POST", "/", nil, "abc")`,
			"POST / HTTP/1.1\r\nHost: example.com:8080\r\nContent-Length: 3\r\n\r\nabc"},
		{"empty body", `wrk.format("POST", "/", nil, "")`,
			"POST / HTTP/1.1\r\nHost: example.com:8080\r\nContent-Length: 0\r\n\r\n"},
		{"own headers get Host copied in", `wrk.format(nil, nil, {["X-A"] = "1"})`,
			"GET /p?q=1 HTTP/1.1\r\nX-A: 1\r\nHost: example.com:8080\r\n\r\n"},
		{"own Host wins", `wrk.format(nil, nil, {Host = "other"})`, "GET /p?q=1 HTTP/1.1\r\nHost: other\r\n\r\n"},
		{"numbers are formatted like tostring", `wrk.format(nil, 7, {N = 1.5, M = 2})`,
			"GET 7 HTTP/1.1\r\nN: 1.5\r\nM: 2\r\nHost: example.com:8080\r\n\r\n"},
		{"Content-Length removed without body", `(function()
			local h = {["Content-Length"] = 9}
			local a = wrk.format("POST", "/", h, "12345")
			local b = wrk.format("GET", "/", h)
			return a .. "|" .. b .. "|" .. tostring(h["Content-Length"]) end)()`,
			"POST / HTTP/1.1\r\nContent-Length: 5\r\nHost: example.com:8080\r\n\r\n12345|GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n|nil"},
		{"wrk.body and wrk.method", `(function() wrk.method = "PUT"; wrk.body = "{}"; return wrk.format() end)()`,
			"PUT /p?q=1 HTTP/1.1\r\nHost: example.com:8080\r\nContent-Length: 2\r\n\r\n{}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "function init() result = " + tt.expr + " end"
			s, _, _ := load(t, "f.lua", src, Options{URL: "http://example.com:8080/p?q=1", Threads: 1})
			th, err := s.NewThread(0)
			if err != nil {
				t.Fatal(err)
			}
			if got := th.(*thread).st.ls.GetGlobal("result").String(); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestFormatErrors(t *testing.T) {
	// A table as method or header value is not an error: wrk.lua formats
	// them with string.format("%s"), which gives "table: 0x...".
	for _, src := range []string{`wrk.format(nil, nil, "x")`, `wrk.format(nil, nil, nil, {})`} {
		_, err := New("f.lua", []byte(src), Options{URL: "http://h/", Threads: 1})
		if err == nil || !strings.Contains(err.Error(), "f.lua:1:") {
			t.Errorf("%s: err = %v", src, err)
		}
	}
}

// TestWrkTable checks the fields wrk sets, per state (wrk-compat.md §3.2).
func TestWrkTable(t *testing.T) {
	src := `
top = {wrk.scheme, wrk.host, tostring(wrk.port), wrk.method, wrk.path, tostring(wrk.body), wrk.headers["X-H"], tostring(wrk.headers.Host), tostring(wrk.thread)}
function setup(thread) mainThread = tostring(wrk.thread) end
function init(args)
  argv = {args[0], args[1], args[2], #args}
  host = wrk.headers.Host
  isThread = getmetatable(wrk.thread)
end`
	s, _, _ := load(t, "w.lua", src, Options{URL: "https://[::1]:8443/a/b#frag", Threads: 1,
		Headers: []runner.Header{{Name: "X-H", Value: "1"}, {Name: "X-H", Value: "2"}}, Args: []string{"one", "two"}})
	th, err := s.NewThread(0)
	if err != nil {
		t.Fatal(err)
	}
	get := func(st *state, name string) string {
		if _, ok := st.ls.GetGlobal(name).(*lua.LTable); ok {
			return strings.Join(tableInts(st, name), ",")
		}
		return st.ls.GetGlobal(name).String()
	}
	tst := th.(*thread).st
	if got, want := get(s.main, "top"), "https,::1,8443,GET,/a/b#frag,nil,2,nil,nil"; got != want {
		t.Errorf("main top level: %s, want %s", got, want)
	}
	if got, want := get(tst, "argv"), "https://[::1]:8443/a/b#frag,one,two,2"; got != want {
		t.Errorf("args: %s, want %s", got, want)
	}
	if got := get(tst, "host"); got != "[::1]:8443" {
		t.Errorf("Host = %s", got)
	}
	if got := get(tst, "isThread"); got != "wrk.thread" {
		t.Errorf("wrk.thread in a thread state: %s", got)
	}
	if got := get(s.main, "mainThread"); got != "nil" {
		t.Errorf("wrk.thread in the main state: %s", got)
	}
}

// tableInts lists global table name's array part as strings.
func tableInts(st *state, name string) []string {
	tb := st.ls.GetGlobal(name).(*lua.LTable)
	var out []string
	for i := 1; i <= tb.Len(); i++ {
		out = append(out, tb.RawGetInt(i).String())
	}
	return out
}

func TestRandomPerState(t *testing.T) {
	src := `
function init()
  seq = {}
  for i = 1, 5 do seq[i] = math.random(1000) end
  math.randomseed(42)
  a = math.random(1, 1e9)
  math.randomseed(42)
  b = math.random(1, 1e9)
  f = math.random()
  assert(f >= 0 and f < 1)
  -- LuaJIT checks no interval: random(0) is 1, random(5, 4) is 5.
  assert(math.random(0) == 1)
  assert(math.random(5, 4) == 5)
end`
	s, _, _ := load(t, "r.lua", src, Options{Threads: 3})
	var seqs []string
	for i := 0; i < 3; i++ {
		th, err := s.NewThread(i)
		if err != nil {
			t.Fatal(err)
		}
		st := th.(*thread).st
		seqs = append(seqs, fmt.Sprint(tableInts(st, "seq")))
		if a, b := st.ls.GetGlobal("a").String(), st.ls.GetGlobal("b").String(); a != b {
			t.Errorf("math.randomseed(42) does not repeat the sequence: %s vs %s", a, b)
		}
	}
	// wrk's LuaJIT gives every thread the same sequence; here each state
	// has its own source.
	if seqs[0] == seqs[1] || seqs[1] == seqs[2] {
		t.Errorf("threads share a random sequence: %v", seqs)
	}
}

func TestRandomSeedOption(t *testing.T) {
	draw := func() string {
		s, _, _ := load(t, "r.lua", `x = math.random(1e9)`, Options{Threads: 1, Seed: 7})
		return s.main.ls.GetGlobal("x").String()
	}
	if a, b := draw(), draw(); a != b {
		t.Errorf("Options.Seed is not reproducible: %s vs %s", a, b)
	}
}

func TestThreadSetGet(t *testing.T) {
	src := `
local threads = {}
function setup(thread)
  local cyc = {name = "c"}
  cyc.self = cyc
  thread:set("cfg", {a = {b = {c = {1, 2, {d = "deep"}}}}, [10] = true, cyc = cyc})
  thread:set("n", 5)
  assert(not pcall(thread.set, thread, "f", print))
  local ok, err = pcall(thread.set, thread, "f", function() end)
  assert(not ok and err:find("cannot transfer 'function' to thread"), err)
  threads[#threads + 1] = thread
end
function init()
  assert(cfg.a.b.c[3].d == "deep" and cfg[10] == true)
  assert(cfg.cyc.self == cfg.cyc)
  n = n + 1
  result = {x = {y = n}}
end
function done()
  local r = threads[1]:get("result")
  out = r.x.y
  assert(threads[1]:get("missing") == nil)
end`
	s, _, _ := load(t, "s.lua", src, Options{Threads: 1})
	if _, err := s.NewThread(0); err != nil {
		t.Fatal(err)
	}
	if err := s.Done(Result{}); err != nil {
		t.Fatal(err)
	}
	if got := s.main.ls.GetGlobal("out").String(); got != "6" {
		t.Errorf("done() read %s, want 6", got)
	}
}

func TestStopInSetupHasNoEffect(t *testing.T) {
	s, _, _ := load(t, "s.lua", `function setup(t) t:stop() end
function init() wrk.thread:stop() end`, Options{Threads: 1})
	th, err := s.NewThread(0)
	if err != nil {
		t.Fatal(err)
	}
	if th.Stopped() {
		t.Error("stop() before the thread started stopped it (wrk ignores it)")
	}
}

func TestThreadUnknownFields(t *testing.T) {
	s, out, _ := load(t, "u.lua", `function setup(t) print(t.foo, t[1], type(t[1]), type(t[1.5]), t[1.5]) end`, Options{Threads: 1})
	if _, err := s.NewThread(0); err != nil {
		t.Fatal(err)
	}
	// wrk's __index returns the key after lua_tostring: numbers as strings.
	if got, want := out.String(), "foo\t1\tstring\tstring\t1.5\n"; got != want {
		t.Errorf("setup printed %q, want %q", got, want)
	}
}

func TestCapsAndDepth(t *testing.T) {
	tests := []struct {
		src     string
		want    runner.ScriptCaps
		wantErr string
	}{
		{`-- static`, runner.ScriptCaps{Depth: 1}, ""},
		{`function response() end function delay() return 1 end`, runner.ScriptCaps{Response: true, Delay: true, Depth: 1}, ""},
		{`function request() return wrk.format() .. wrk.format("POST", "/", nil, "a\r\n\r\nb") end`, runner.ScriptCaps{Request: true, Depth: 2}, ""},
		{`function init() response = nil end function response() end`, runner.ScriptCaps{Depth: 1}, ""},
		// wrk's messages (http_parser's description at line:column),
		// each checked against wrk 4.1.0.
		{`function request() return "GET / HTTP/1.1\r\n" end`, runner.ScriptCaps{}, "incomplete request at 2:1"},
		{`function request() return nil end`, runner.ScriptCaps{}, "incomplete request at 1:1"},
		{`function request() return {} end`, runner.ScriptCaps{}, "incomplete request at 1:1"},
		{`function request() return 42 end`, runner.ScriptCaps{}, "invalid HTTP method at 1:1"},
		{`function request() return "garbage\r\n\r\n" end`, runner.ScriptCaps{}, "invalid HTTP method at 1:1"},
		{`function request() return "FOO / HTTP/1.1\r\n\r\n" end`, runner.ScriptCaps{}, "invalid HTTP method at 1:1"},
		{`function request() return "GETX / HTTP/1.1\r\n\r\n" end`, runner.ScriptCaps{}, "invalid HTTP method at 1:4"},
		{`function request() return "GET x HTTP/1.1\r\n\r\n" end`, runner.ScriptCaps{}, "invalid URL at 1:6"},
		{`function request() return "GET / HTTX/1.1\r\n\r\n" end`, runner.ScriptCaps{}, "strict mode assertion failed at 1:10"},
		{`function request() return "GET / XTTP/1.1\r\n\r\n" end`, runner.ScriptCaps{}, "invalid constant string at 1:7"},
		{`function request() return "GET / HTTP/1.x\r\n\r\n" end`, runner.ScriptCaps{}, "invalid HTTP version at 1:14"},
		{`function request() return "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n" end`, runner.ScriptCaps{}, "invalid character in header at 2:4"},
		{`function request() return "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n" end`, runner.ScriptCaps{}, "LF character expected at 2:6"},
		{`function request() return "POST / HTTP/1.1\r\nContent-Length: x5\r\n\r\n" end`, runner.ScriptCaps{}, "invalid character in content-length header at 2:17"},
		{`function request() return "POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab" end`, runner.ScriptCaps{}, "unexpected content-length header at 3:17"},
		{`function request() return "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab" end`, runner.ScriptCaps{}, "incomplete request at 4:3"},
		{`function request() return "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" end`, runner.ScriptCaps{}, "invalid character in chunk size header at 4:1"},
		{`function request() return "GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n" end`, runner.ScriptCaps{},
			"data received after completed connection: close message at 4:1"},
		{`function request() return "GET / HTTP/1.1\r\n\r\nXX" end`, runner.ScriptCaps{}, "invalid HTTP method at 3:1"},
		// Accepted by wrk: a trailing incomplete request is not counted,
		// leading CRLFs are skipped, HTTP/0.9 lines, bare LFs, chunked
		// bodies, absolute URLs, other methods.
		{`function request() return "GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n" end`, runner.ScriptCaps{Request: true, Depth: 1}, ""},
		{`function request() return "\r\nGET /\r\n\r\n" end`, runner.ScriptCaps{Request: true, Depth: 1}, ""},
		{`function request() return "GET / HTTP/1.1\nHost: x\n\n" end`, runner.ScriptCaps{Request: true, Depth: 1}, ""},
		{`function request() return "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\nGET http://h/x HTTP/1.1\r\n\r\n" end`,
			runner.ScriptCaps{Request: true, Depth: 2}, ""},
		{`function request() return "M-SEARCH * HTTP/1.1\r\n\r\nPURGE /  HTTP/1.1\r\n\r\nCONNECT h:80 HTTP/1.1\r\n\r\n" end`, runner.ScriptCaps{Request: true, Depth: 3}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			s, _, _ := load(t, "c.lua", tt.src, Options{Threads: 1})
			err := s.Prepare()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if _, err := s.NewThread(0); err == nil {
					t.Error("NewThread(0) succeeded after a failed start-up check")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Caps(); got != tt.want {
				t.Errorf("caps %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDelayValues(t *testing.T) {
	for src, want := range map[string]string{
		`function delay() return 12.9 end`: "12ms",
		`function delay() return "10" end`: "0s",
		`function delay() return -5 end`:   "0s",
		`function delay() end`:             "0s",
	} {
		s, _, _ := load(t, "d.lua", src, Options{Threads: 1})
		th, err := s.NewThread(0)
		if err != nil {
			t.Fatal(err)
		}
		d, err := th.Delay()
		if err != nil || d.String() != want {
			t.Errorf("%s: %v, %v; want %s", src, d, err, want)
		}
	}
}

func TestResponseHook(t *testing.T) {
	src := `function response(status, headers, body)
  got = string.format("%d|%s|%s|%s|%d", status, headers["Set-Cookie"], headers["content-type"], body, #body)
end`
	s, _, _ := load(t, "r.lua", src, Options{Threads: 1})
	th, err := s.NewThread(0)
	if err != nil {
		t.Fatal(err)
	}
	err = th.Response(&runner.Response{Status: 404, Body: []byte("gone"), Headers: []runner.HeaderField{
		{Name: []byte("Set-Cookie"), Value: []byte("a=1")},
		{Name: []byte("content-type"), Value: []byte("text/plain")},
		{Name: []byte("Set-Cookie"), Value: []byte("b=2")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := th.(*thread).st.ls.GetGlobal("got").String(); got != "404|b=2|text/plain|gone|4" {
		t.Errorf("response saw %s", got)
	}
}

// TestResponseParams: headers and body are built only for functions that
// can see them, and every declared parameter still gets its value.
func TestResponseParams(t *testing.T) {
	for src, want := range map[string]string{
		`function response(s) got = tostring(s) end`:                                         "200",
		`function response(s, h) got = s .. h.A end`:                                         "200b",
		`function response(s, h, b) got = s .. h.A .. b end`:                                 "200bbody",
		`function response(...) local s, h, b = ... got = s .. h.A .. b end`:                 "200bbody",
		`response = function(s, ...) local h, b = ... got = s .. h.A .. b end`:               "200bbody",
		`function init() response = function(s, h, b) got = h.A .. b end end response = nil`: "bbody",
	} {
		s, _, _ := load(t, "p.lua", src, Options{Threads: 1})
		th, err := s.NewThread(0)
		if err != nil {
			t.Fatal(err)
		}
		r := &runner.Response{Status: 200, Body: []byte("body"), Headers: []runner.HeaderField{{Name: []byte("A"), Value: []byte("b")}}}
		if err := th.Response(r); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := th.(*thread).st.ls.GetGlobal("got").String(); got != want {
			t.Errorf("%s: got %q, want %q", src, got, want)
		}
	}
}

// TestLazyHeaders: the headers table behaves as the plain table wrk
// passes, however the script uses it.
func TestLazyHeaders(t *testing.T) {
	tests := map[string]string{
		"index":          `got = h["Set-Cookie"] .. "," .. h.A .. "," .. tostring(h.missing) .. "," .. tostring(h[1])`,
		"pairs":          `local ks = {} for k, v in pairs(h) do ks[#ks + 1] = k .. "=" .. v end got = table.concat(ks, ";")`,
		"next":           `local k, v = next(h) got = k .. "=" .. v`,
		"rawget":         `got = rawget(h, "A")`,
		"assignment":     `h.New = "n" h.A = nil local n = 0 for _ in pairs(h) do n = n + 1 end got = n .. h.New .. tostring(h.A)`,
		"getmetatable":   `got = tostring(getmetatable(h))`,
		"setmetatable":   `setmetatable(h, {__index = function() return "dflt" end}) got = h.A .. h.zzz`,
		"type":           `got = type(h) .. #h`,
		"cjson":          `got = require("cjson").encode(h)`,
		"kept for later": `kept = h got = "first"`,
		"rawset":         `rawset(h, "Z", "z") got = h.Z .. h.A`,
		"thread:set":     `wrk.thread:set("saved", h) got = saved.A .. tostring(getmetatable(saved))`,
	}
	want := map[string]string{
		"index": "b=2,a,nil,nil", "pairs": "Set-Cookie=b=2;A=a", "next": "Set-Cookie=b=2", "rawget": "a",
		"assignment": "2nnil", "getmetatable": "nil", "setmetatable": "adflt", "type": "table0",
		"cjson": `{"Set-Cookie":"b=2","A":"a"}`, "kept for later": "first", "rawset": "za",
		"thread:set": "anil",
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			s, _, _ := load(t, "h.lua", "function response(s, h, b) "+body+" end", Options{Threads: 1})
			th, err := s.NewThread(0)
			if err != nil {
				t.Fatal(err)
			}
			buf := []byte("Set-Cookiea=1Set-Cookieb=2Aa")
			r := &runner.Response{Status: 200, Headers: []runner.HeaderField{
				{Name: buf[0:10], Value: buf[10:13]}, {Name: buf[13:23], Value: buf[23:26]}, {Name: buf[26:27], Value: buf[27:28]},
			}}
			if err := th.Response(r); err != nil {
				t.Fatal(err)
			}
			// The connection reuses its buffers: a kept table must not change.
			copy(buf, "XXXXXXXXXXXXXXXXXXXXXXXXXXXX")
			L := th.(*thread).st.ls
			if got := L.GetGlobal("got").String(); got != want[name] {
				t.Errorf("got %q, want %q", got, want[name])
			}
			if _, ok := L.GetGlobal("kept").(*lua.LTable); ok {
				if err := L.DoString(`got = kept.A .. kept["Set-Cookie"]`); err != nil {
					t.Fatal(err)
				}
				if got := L.GetGlobal("got").String(); got != "ab=2" {
					t.Errorf("kept table reads %q after the call", got)
				}
			}
		})
	}
}

// TestHTTP2Headers: over HTTP/2 header names arrive lowercase; lookups
// ignore case whether the table is still lazy or was realized, while an
// HTTP/1.1 response keeps wrk's exact-case table.
func TestHTTP2Headers(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		http2 bool
		want  string
	}{
		{"lazy", `got = h["Set-Cookie"] .. h["content-type"] .. h["CONTENT-TYPE"] .. tostring(h.missing)`, true, "b=2text/plaintext/plainnil"},
		{"realized", `for k in pairs(h) do end got = h["Set-Cookie"] .. h["Content-Type"] .. rawget(h, "content-type")`, true, "b=2text/plaintext/plain"},
		{"pairs names", `local ks = {} for k in pairs(h) do ks[#ks + 1] = k end table.sort(ks) got = table.concat(ks, ",")`, true, "content-type,set-cookie"},
		{"http/1.1 exact case", `got = tostring(h["Set-Cookie"]) .. tostring(h["set-cookie"])`, false, "nilb=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := load(t, "h.lua", "function response(s, h, b) "+tt.body+" end", Options{Threads: 1})
			th, err := s.NewThread(0)
			if err != nil {
				t.Fatal(err)
			}
			r := &runner.Response{Status: 200, HTTP2: tt.http2, Headers: []runner.HeaderField{
				{Name: []byte("set-cookie"), Value: []byte("a=1")}, {Name: []byte("content-type"), Value: []byte("text/plain")},
				{Name: []byte("set-cookie"), Value: []byte("b=2")},
			}}
			if err := th.Response(r); err != nil {
				t.Fatal(err)
			}
			if got := th.(*thread).st.ls.GetGlobal("got").String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestResponseArgumentsShared: consecutive responses share the copy of
// equal headers and an equal body, which no script can observe: each call
// gets its own headers table, a change to one table (or to the
// connection's reused buffers) shows in no other, and changed bytes are
// seen at once.
func TestResponseArgumentsShared(t *testing.T) {
	t.Parallel()
	s, _, _ := load(t, "shared.lua", `
local n, prev = 0, nil
function response(s, h, b)
	n = n + 1
	if n == 1 then prev = h; log = s .. ":" .. h.A .. ":" .. b return end
	log = log .. "|" .. s .. ":" .. tostring(h == prev) .. ":" .. h.A .. ":" .. prev.A .. ":" .. b
	if n == 2 then h.A = "changed" end
	prev = h
end`, Options{Threads: 1})
	th, err := s.NewThread(0)
	if err != nil {
		t.Fatal(err)
	}
	head := []byte("Aone")
	body := []byte("abc")
	r := &runner.Response{Status: 200, Body: body, Headers: []runner.HeaderField{{Name: head[0:1], Value: head[1:4]}}}
	steps := []func(){
		func() {},
		func() {}, // same bytes: the second table is a new one
		func() { r.Status = 404 },
		func() { copy(body, "abd"); copy(head[1:], "two") }, // same buffers, new bytes
		func() { r.Body = body[:2] },
	}
	for i, step := range steps {
		step()
		if err := th.Response(r); err != nil {
			t.Fatalf("response %d: %v", i+1, err)
		}
	}
	want := "200:one:abc|200:false:one:one:abc|404:false:one:changed:abc|404:false:two:one:abd|404:false:two:two:ab"
	if got := th.(*thread).st.ls.GetGlobal("log").String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
