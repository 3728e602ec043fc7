package lualib

import (
	"context"
	"math"

	lua "github.com/yuin/gopher-lua"
)

// Lib names one part of the library for Open.
type Lib int

// The parts Open can install.
const (
	Base      Lib = iota // tostring, tonumber, unpack, pcall, xpcall, assert, error, select, type, rawset (globals)
	String               // the string table, edited in place (it is the string metatable's __index)
	Table                // table.*
	Math                 // math.* without random/randomseed (see MathRandom), math.huge = +Inf
	Bit                  // LuaJIT's bit module, as the global bit
	OS                   // os.date and os.difftime, into the global os table
	Coroutine            // LuaJIT's messages for coroutine.resume and yield (wraps gopher-lua's coroutine table)
)

// Open installs the given parts of the library into ls, replacing
// gopher-lua's entries of the same names and removing the ones LuaJIT does
// not have (string.dump, math.mod, ...). String needs gopher-lua's string
// library opened first (it owns the string metatable); Open opens it when
// the global string table is missing.
func Open(ls *lua.LState, lim Limits, libs ...Lib) {
	lb := &lib{lim: lim.withDefaults()}
	g := ls.G.Global
	for _, l := range libs {
		switch l {
		case Base:
			g.RawSetString("tostring", ls.NewFunction(lb.tostring))
			g.RawSetString("tonumber", ls.NewFunction(lb.tonumber))
			g.RawSetString("unpack", ls.NewFunction(lb.unpack))
			p := newProtect(ls)
			g.RawSetString("pcall", ls.NewFunction(p.pcall))
			g.RawSetString("xpcall", ls.NewFunction(p.xpcall))
			ls.G.Registry.RawSetString(concatRegistry, ls.NewFunction(lb.concat))
			InstallRewriteHelpers(ls)
			for name, f := range map[string]lua.LGFunction{
				"assert": baseAssert, "error": baseError, "select": baseSelect,
				"type": baseType, "rawset": baseRawset, "setmetatable": baseSetmetatable,
			} {
				g.RawSetString(name, ls.NewFunction(f))
			}
		case String:
			if _, ok := g.RawGetString("string").(*lua.LTable); !ok {
				ls.Push(ls.NewFunction(lua.OpenString))
				ls.Call(0, 0)
			}
			str := g.RawGetString("string").(*lua.LTable)
			replace(ls, str, lb.stringFuncs())
			// gopher-lua's string metatable is the string table itself
			// (string.__index == string); LuaJIT's is a table of its own.
			mt := ls.NewTable()
			mt.RawSetString("__index", str)
			ls.SetMetatable(lua.LString(""), mt)
		case Table:
			replace(ls, tableNamed(ls, "table"), lb.tableFuncs())
		case Math:
			t := tableNamed(ls, "math")
			replace(ls, t, lb.mathFuncs())
			t.RawSetString("huge", lua.LNumber(math.Inf(1)))
			t.RawSetString("pi", lua.LNumber(math.Pi))
		case Coroutine:
			if co, ok := g.RawGetString("coroutine").(*lua.LTable); ok {
				for name, f := range coroutineFuncs(co) {
					co.RawSetString(name, ls.NewFunction(f))
				}
			}
		case OS:
			t := tableNamed(ls, "os")
			for name, f := range lb.osFuncs() {
				t.RawSetString(name, ls.NewFunction(f))
			}
		case Bit:
			t := ls.NewTable()
			replace(ls, t, bitFuncs())
			g.RawSetString("bit", t)
		}
	}
}

// tableNamed returns the global table name, creating it when missing.
func tableNamed(ls *lua.LState, name string) *lua.LTable {
	if t, ok := ls.G.Global.RawGetString(name).(*lua.LTable); ok {
		return t
	}
	t := ls.NewTable()
	ls.G.Global.RawSetString(name, t)
	return t
}

// replace empties t and fills it with funcs: editing in place keeps every
// existing reference (the string metatable's __index, package.loaded)
// pointing at the new functions.
func replace(ls *lua.LState, t *lua.LTable, funcs map[string]lua.LGFunction) {
	var keys []lua.LValue
	t.ForEach(func(k, _ lua.LValue) { keys = append(keys, k) })
	for _, k := range keys {
		t.RawSet(k, lua.LNil)
	}
	for name, f := range funcs {
		t.RawSetString(name, ls.NewFunction(f))
	}
}

// pureBase are the base functions a pure state keeps: no load, require,
// print, io, os, debug, collectgarbage or environment access.
var pureBase = []string{
	"assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal",
	"rawget", "rawset", "select", "setmetatable", "type", "xpcall", "_VERSION",
}

// NewPureState returns a gopher-lua state for evaluating pure script
// functions on constant arguments: the base functions in pureBase, this
// package's tostring/tonumber/unpack/pcall/xpcall, string, table, math
// (without random) and bit, bounded by lim, stopped by ctx. getmetatable
// returns nil for strings, so the shared string metatable cannot be
// reached. Calls nest at most PureCallDepth deep. Call into the state with
// PCall (or a Caller), not LState.PCall or DoString, whose traceback on
// error is quadratic in the call depth and ignores ctx. The caller closes
// the state.
func NewPureState(ctx context.Context, lim Limits) *lua.LState {
	opts := StateOptions()
	opts.CallStackSize = PureCallDepth
	// A quarter of the runtime's first data stack, growing in smaller
	// steps: wrklint makes two of these states for every file it
	// evaluates, and most evaluations use a few hundred slots (64 KiB
	// less to allocate and clear each time, a fifth of the state's cost).
	opts.RegistrySize, opts.RegistryGrowStep = 1024, 1<<14
	ls := lua.NewState(opts)
	ls.Push(ls.NewFunction(lua.OpenBase))
	ls.Call(0, 0)
	ls.Push(ls.NewFunction(lua.OpenString))
	ls.Call(0, 0)
	old := ls.G.Global
	g := ls.NewTable()
	for _, name := range pureBase {
		g.RawSetString(name, old.RawGetString(name))
	}
	getmt := old.RawGetString("getmetatable")
	g.RawSetString("getmetatable", ls.NewFunction(func(ls *lua.LState) int {
		if _, ok := ls.Get(1).(lua.LString); ok {
			ls.Push(lua.LNil)
			return 1
		}
		ls.Push(getmt)
		ls.Push(ls.Get(1))
		ls.Call(1, 1)
		return 1
	}))
	g.RawSetString("string", old.RawGetString("string"))
	g.RawSetString("_G", g)
	ls.G.Global = g
	ls.Env = g
	Open(ls, lim, Base, String, Table, Math, Bit)
	if ctx != nil {
		ls.SetContext(ctx)
	}
	return ls
}

// StateOptions are gopher-lua options for a state that allows about as
// many nested Lua calls as LuaJIT (21,825 for a one-argument function)
// before "stack overflow". The call stack is gopher-lua's fixed array
// (its segmented stack panics with "lua callstack overflow" instead of
// raising a Lua error); the data stack starts at 64 KiB, grows in steps
// of 2 MiB (gopher-lua's default step of 32 slots made 20,000 nested
// calls allocate 326 MiB in copies) and stops at 16 MiB.
func StateOptions() lua.Options {
	return lua.Options{
		SkipOpenLibs:     true,
		CallStackSize:    MaxCallDepth,
		RegistrySize:     1024 * 4,
		RegistryMaxSize:  1 << 20,
		RegistryGrowStep: 1 << 17,
	}
}

// MaxCallDepth is the number of nested calls a state of StateOptions
// allows: LuaJIT's limit for a one-argument recursive function.
const MaxCallDepth = 21825

// PureCallDepth is the call depth of NewPureState: enough for the helper
// functions a partial evaluator folds, small enough that a runaway
// recursion fails at once.
const PureCallDepth = 1000
