package rules_test

import (
	"testing"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/rules"
)

// countRule runs every rule on src and counts the findings of id.
func countRule(t *testing.T, src, id string) int {
	t.Helper()
	n := 0
	for _, f := range analyzer.Analyze("case.lua", []byte(src), &analyzer.Options{Rules: rules.All()}) {
		if f.RuleID == id && f.Suppression == nil {
			n++
		}
	}
	return n
}

const ffiClockDecl = "local ffi = require(\"ffi\")\n" +
	"ffi.cdef[[\ntypedef struct timespec { long tv_sec; long tv_nsec; } ts_t;\nint clock_gettime(int clk, struct timespec *tp);\n]]\n"

const ffiClockUse = "local ts = ffi.new(\"ts_t[?]\", 1)\nffi.C.clock_gettime(6, ts)\nlocal ms = ts[0].tv_sec * 1000 + ts[0].tv_nsec / 1e6\n"

// TestFFIClockOnly: WL301 lets the FFI pass only when the script provably
// declares and calls nothing but clock functions; each bad case differs
// from the good one by one use.
func TestFFIClockOnly(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want int
	}{
		{"clock only", ffiClockDecl + ffiClockUse, 0},
		{"clock through an alias of ffi.C", ffiClockDecl + "local C = ffi.C\nlocal ts = ffi.new(\"ts_t\")\nC.clock_gettime(0, ts)\nprint(ts.tv_sec)\n", 0},
		{"gettimeofday with a comment", "local ffi = require 'ffi'\nffi.cdef('/* tv */ int gettimeofday(void *tv, void *tz); // utc')\nlocal tv = ffi.new('long[2]')\nffi.C.gettimeofday(tv, nil)\n", 0},
		{"loaded and unused", "local ffi = require(\"ffi\")\n", 1},
		{"declared, never called", ffiClockDecl, 1},
		{"another function declared", ffiClockDecl + "ffi.cdef(\"int system(const char *cmd);\")\n" + ffiClockUse, 1},
		{"another function called", ffiClockDecl + ffiClockUse + "ffi.C.getpid()\n", 1},
		{"function pointer declared", ffiClockDecl + "ffi.cdef(\"typedef int (*clock_gettime)(void);\")\n" + ffiClockUse, 1},
		{"declarations not constant", "local ffi = require(\"ffi\")\nffi.cdef(os.getenv(\"DECL\"))\n" + ffiClockUse, 1},
		{"ffi.cast", ffiClockDecl + ffiClockUse + "local p = ffi.cast(\"long *\", 4096)\n", 1},
		{"ffi.load", ffiClockDecl + ffiClockUse + "local lib = ffi.load(\"rt\")\n", 1},
		{"ffi.string", ffiClockDecl + ffiClockUse + "local s = ffi.string(ts, 64)\n", 1},
		{"computed key of ffi.C", ffiClockDecl + ffiClockUse + "local f = ffi.C[\"clock_\" .. wrk.path]\n", 1},
		{"element past the first", ffiClockDecl + ffiClockUse + "ts[7] = 0\n", 1},
		{"computed element", ffiClockDecl + ffiClockUse + "local i = #wrk.path\nprint(ts[i])\n", 1},
		{"struct passed to another function", ffiClockDecl + ffiClockUse + "print(ts)\n", 1},
		{"module passed away", ffiClockDecl + ffiClockUse + "local mod = require(\"helper\")\nmod.use(ffi)\n", 1},
		{"method call on cdata", ffiClockDecl + ffiClockUse + "ts:free()\n", 1},
		{"allowed by policy is a separate matter", "local ffi = require(\"ffi\")\nffi.C.system(\"id\")\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := countRule(t, tt.src, "WL301"); got != tt.want {
				t.Errorf("WL301 findings = %d, want %d\n%s", got, tt.want, tt.src)
			}
		})
	}
}

// TestSocketClockOnly: LuaSocket for socket.gettime/socket.sleep is not
// WL301; any other member, a method call or a computed key is.
func TestSocketClockOnly(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want int
	}{
		{"gettime", "local socket = require(\"socket\")\nlocal t = socket.gettime()\n", 0},
		{"sleep and gettime", "local socket = require \"socket\"\nsocket.sleep(0.1)\nprint(socket.gettime())\n", 0},
		{"alias of gettime", "local now = require(\"socket\").gettime\nprint(now())\n", 0},
		{"tcp", "local socket = require(\"socket\")\nlocal c = socket.tcp()\n", 1},
		{"connect next to gettime", "local socket = require(\"socket\")\nlocal t = socket.gettime()\nsocket.connect(\"127.0.0.1\", 80)\n", 1},
		{"computed member", "local socket = require(\"socket\")\nlocal f = socket[wrk.path]\n", 1},
		{"module passed away", "local socket = require(\"socket\")\nlocal h = require(\"helper\")\nh.use(socket)\n", 1},
		{"socket.http", "local http = require(\"socket.http\")\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := countRule(t, tt.src, "WL301"); got != tt.want {
				t.Errorf("WL301 findings = %d, want %d\n%s", got, tt.want, tt.src)
			}
		})
	}
}
