package lualib

import (
	"context"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

func TestNewPureState(t *testing.T) {
	ls := NewPureState(context.Background(), Limits{MaxString: 1 << 16})
	defer ls.Close()
	if err := ls.DoString(`
local function pad(s, n) return string.rep("0", n - #s) .. s end
result = pad(string.format("%x", bit.band(0xdead, 0xff)), 6) .. "|" .. table.concat({1, 2.5, "x"}, ",") .. "|" .. tostring(10/3)
ok = pcall(string.rep, "x", 1e6)
mt = getmetatable("")
`); err != nil {
		t.Fatal(err)
	}
	if got := ls.GetGlobal("result").String(); got != "0000ad|1,2.5,x|3.3333333333333" {
		t.Errorf("result = %q", got)
	}
	if ls.GetGlobal("ok") != lua.LFalse {
		t.Error("string.rep past MaxString succeeded")
	}
	if ls.GetGlobal("mt") != lua.LNil {
		t.Error("getmetatable on a string reaches the shared string metatable")
	}
	// Nothing that reaches outside the state.
	for _, name := range []string{"os", "io", "debug", "load", "loadstring", "dofile", "loadfile",
		"require", "print", "module", "collectgarbage", "getfenv", "setfenv", "newproxy", "package",
		"coroutine", "_printregs"} {
		if v := ls.GetGlobal(name); v != lua.LNil {
			t.Errorf("global %s is %s", name, v.Type())
		}
	}
	if v := ls.GetField(ls.GetGlobal("math"), "random"); v != lua.LNil {
		t.Error("math.random is not pure")
	}
	if v := ls.GetField(ls.GetGlobal("string"), "dump"); v != lua.LNil {
		t.Error("string.dump is present")
	}
}

func TestNewPureStateCancel(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	ls := NewPureState(ctx, Limits{MaxSteps: 1 << 40})
	defer ls.Close()
	start := time.Now()
	for _, src := range []string{
		`while true do end`,
		`local s = ("a"):rep(1e6) return s:find(("a*"):rep(10) .. "b")`,
	} {
		if err := ls.DoString(src); err == nil {
			t.Errorf("%s: no error after cancellation", src)
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("stopped after %v", d)
	}
}

func TestNewPureStateRecursion(t *testing.T) {
	ls := NewPureState(context.Background(), Limits{})
	defer ls.Close()
	fn, err := ls.LoadString(`local function f(n) return 1 + f(n + 1) end return f(1)`)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ls.Push(fn)
	err = PCall(ls, 0, 1)
	if err == nil || !strings.Contains(err.Error(), "stack overflow") {
		t.Errorf("err = %v, want a stack overflow", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("overflow took %v", d)
	}
}
