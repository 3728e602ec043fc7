package luart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/runner"
)

// TestDefaultHostFollowsScript: wrk.init builds the default Host header
// from wrk.host and wrk.port as the top level left them.
func TestDefaultHostFollowsScript(t *testing.T) {
	tests := []struct {
		name, url, src string
		headers        []runner.Header
		want           string // the Host line, "" for an error
	}{
		{"untouched, port in URL", "http://127.0.0.1:8080/", ``, nil, "Host: 127.0.0.1:8080"},
		{"untouched, no port", "http://localhost/", ``, nil, "Host: localhost"},
		{"host and port set", "http://127.0.0.1:8080/", `wrk.host = "example.org"; wrk.port = 9000`, nil, "Host: example.org:9000"},
		{"host set, URL port kept", "http://127.0.0.1:8080/", `wrk.host = "api.local"`, nil, "Host: api.local:8080"},
		{"port removed", "http://127.0.0.1:8080/", `wrk.port = nil`, nil, "Host: 127.0.0.1"},
		{"IPv6 host", "http://127.0.0.1:8080/", `wrk.host = "::1"`, nil, "Host: [::1]:8080"},
		{"number port", "http://127.0.0.1/", `wrk.port = 81`, nil, "Host: 127.0.0.1:81"},
		{"-H Host wins", "http://127.0.0.1:8080/", `wrk.host = "ignored"`, []runner.Header{{Name: "Host", Value: "given"}}, "Host: given"},
		{"script header wins", "http://127.0.0.1:8080/", `wrk.host = "ignored"; wrk.headers["Host"] = "mine"`, nil, "Host: mine"},
		{"host not a string", "http://127.0.0.1:8080/", `wrk.host = {}`, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := load(t, "host.lua", tt.src+"\n", Options{URL: tt.url, Threads: 1, Headers: tt.headers})
			th, err := s.NewThread(0)
			if tt.want == "" {
				if err == nil || !strings.Contains(err.Error(), "wrk.host is a table") {
					t.Fatalf("error %v, want wrk.host is a table", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			req, err := th.StaticRequest()
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(req), "Host: "); n != 1 || !strings.Contains(string(req), "\r\n"+tt.want+"\r\n") {
				t.Errorf("request %q, want one %q", req, tt.want)
			}
		})
	}
}

// TestThreadValuesCutAtZero: wrk copies strings between states with
// lua_pushstring, which stops at the first zero byte, both ways and in
// table keys and values.
func TestThreadValuesCutAtZero(t *testing.T) {
	s, out, _ := load(t, "zero.lua", `
function setup(t)
  t:set("s", "ab\0cd")
  t:set("t", {["k\0x"] = "v\0w", n = 1.5})
end
function init() io.write(#s, " ", t.k, " ", t.n, "\n"); z = "1\0002" end
function done() end
`, Options{Threads: 1})
	if _, err := s.NewThread(0); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "2 v 1.5\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

// TestFilesAsLuaJIT: file handles close and print as in LuaJIT.
func TestFilesAsLuaJIT(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "d.txt")
	if err := os.WriteFile(data, []byte("x\ny\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	q := func(s string) string { return `"` + s + `"` }
	qd := q(data)
	tests := map[string]string{
		"f.close(f)":         `local f = io.open(` + qd + `); assert(f.close(f) == true); assert(io.type(f) == "closed file")`,
		"io.close(f)":        `local f = io.open(` + qd + `); assert(io.close(f) == true); assert(io.type(f) == "closed file")`,
		"f:close()":          `local f = io.open(` + qd + `); assert(f:close()); assert(tostring(f) == "file (closed)")`,
		"file.close()":       `local f = io.open(` + qd + `); local a, b = f.close(); assert(a == nil and b == "cannot close standard file"); assert(io.type(f) == "file")`,
		"io.close()":         `local a, b = io.close(); assert(a == nil and b == "cannot close standard file")`,
		"tostring":           `local f = io.open(` + qd + `); assert(tostring(f):match("^file %(0x%x+%)$"), tostring(f))`,
		"read after close":   `local f = io.open(` + qd + `); f:close(); local ok, err = pcall(f.read, f); assert(not ok and err:find("attempt to use a closed file$"), err)`,
		"lines, read":        `local f = io.open(` + qd + `); assert(f:read("*l") == "x"); for l in f:lines() do assert(l == "y") end; f:close()`,
		"io.output()":        `assert(io.output() == io.stdout and io.output(io.stdout) == io.stdout)`,
		"io.output(denied)":  `local ok, err = pcall(io.output, "x"); assert(not ok and err:find("x: denied by the wrkrun sandbox"), err)`,
		"io.write returns":   `assert(io.write("") == true)`,
		"io.flush":           `assert(io.flush())`,
		"os.setlocale":       `assert(os.setlocale() == "C" and os.setlocale("C") == "C" and os.setlocale("fr_FR") == nil)`,
		"debug.traceback":    `assert(debug.traceback("m"):find("^m\nstack traceback:")); local t = {}; assert(debug.traceback(t) == t)`,
		"xpcall traceback":   `local ok, err = xpcall(function() error("boom") end, debug.traceback); assert(not ok and err:find("boom\nstack traceback:", 1, true), err)`,
		"socket gettime":     `local socket = require("socket"); local t = socket.gettime(); assert(t > 1.6e9 and t < 1e11); math.randomseed(socket.gettime() * 1000)`,
		"socket sleep":       `local socket = require("socket"); local a = socket.gettime(); socket.sleep(0.01); assert(socket.gettime() - a >= 0.009)`,
		"socket has no net":  `local socket = require("socket"); local ok, err = pcall(socket.connect, "127.0.0.1", 80); assert(not ok and err:find("gettime and sleep"), err)`,
		"socket.http denied": `assert(not pcall(require, "socket.http"))`,
		"ipairs(nil)":        `local ok, err = pcall(function() local x = ipairs(nil) end); assert(err:find(":1: bad argument #1 to 'ipairs' %(table expected, got nil%)$"), err)`,
		"pairs()":            `local ok, err = pcall(function() local x = pairs() end); assert(err:find(":1: bad argument #1 to 'pairs' %(value expected%)$"), err)`,
		"pairs still works":  `local n = 0; for k, v in pairs({a = 1, 2}) do n = n + v end; for i, v in ipairs({3, 4}) do n = n + i * v end; assert(n == 14, n)`,
		"bit is built in":    `assert(require("bit") == bit and bit.band(7, 3) == 3)`,
		"missing file":       `local f, msg, errno = io.open(` + q(dir+"/none") + `); assert(f == nil and msg == ` + q(dir+"/none") + ` .. ": No such file or directory" and errno == 2, msg)`,
		"open(nil)":          `local ok, err = pcall(function() return io.open(nil) end); assert(err:find("bad argument #1 to 'open' %(string expected, got nil%)$"), err)`,
		"lines({})":          `local ok, err = pcall(function() return io.lines({}) end); assert(err:find("bad argument #1 to 'lines' %(string expected, got table%)$"), err)`,
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			load(t, "files.lua", src, Options{Threads: 1, Policy: config.Policy{Read: []string{data, dir + "/none"}}})
		})
	}
}

// TestIOOutput: io.output(name) opens a file allow.write permits, io.write
// and io.close() then use it, as in LuaJIT.
func TestIOOutput(t *testing.T) {
	dir := t.TempDir()
	report, other := filepath.Join(dir, "report.txt"), filepath.Join(dir, "other.txt")
	src := `
local f = io.output("` + report + `")
assert(io.type(f) == "file", "type")
assert(io.output() == f, "same")
assert(io.write("a", 1, "\n") == true, "write")
assert(io.close() == true, "close")
assert(io.type(f) == "closed file", "closed")
local g = assert(io.open("` + other + `", "w"))
assert(io.output(g) == g, "output(g)")
io.write("b")
io.output(io.stderr)
io.write("to stderr")
io.output(io.stdout)
io.write("to stdout")
g:close()
assert(not pcall(io.output, {}))`
	var stderr strings.Builder
	_, out, _ := load(t, "output.lua", src, Options{Threads: 1, Stderr: &stderr, Policy: config.Policy{Write: []string{dir + "/"}}})
	if stderr.String() != "to stderr" {
		t.Errorf("stderr %q", stderr.String())
	}
	for p, want := range map[string]string{report: "a1\n", other: "b"} {
		if b, err := os.ReadFile(p); err != nil || string(b) != want {
			t.Errorf("%s: %q, %v; want %q", p, b, err, want)
		}
	}
	if out.String() != "to stdout" {
		t.Errorf("stdout %q", out.String())
	}
}

// TestOSExit: os.exit ends the run with the status (wrk: C's exit, no
// report); the script's pending output is written first.
func TestOSExit(t *testing.T) {
	tests := []struct {
		src  string
		want int
	}{
		{`os.exit()`, 0}, {`os.exit(3)`, 3}, {`os.exit(true)`, 0}, {`os.exit(false)`, 1}, {`os.exit(256 + 7)`, 7},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			code := -1
			var out strings.Builder
			_, err := New("exit.lua", []byte(`io.write("pending") `+tt.src+` print("not reached")`), Options{
				URL: "http://127.0.0.1/", Threads: 1, Stdout: &out,
				Exit: func(c int) { code = c },
			})
			if err == nil {
				t.Fatal("the top level went on after os.exit")
			}
			if code != tt.want || out.String() != "pending" {
				t.Errorf("exit %d with output %q, want %d and %q", code, out.String(), tt.want, "pending")
			}
		})
	}
}
