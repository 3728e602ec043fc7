package lualib

import (
	"errors"
	"math"

	lua "github.com/yuin/gopher-lua"
)

// Protected calls. gopher-lua's PCall builds a stack traceback for every
// error it catches (unless a message handler is given), walking the call
// stack once per frame: quadratic in the depth, about a second per error
// at 20,000 nested calls, for a traceback pcall throws away. With a
// message handler it skips the traceback but then does not close the
// failed call's upvalues (a closure that escaped reads reused stack
// slots), and calls the handler on a full stack, where the handler's own
// "stack overflow" brings the traceback back.
//
// PCall avoids both: the function runs through a trampoline that sets
// the state's Panic (called by gopher-lua when an error is raised, before
// unwinding) to one that raises an ApiError with a placeholder traceback,
// which PCall keeps instead of computing one. Upvalues are closed as
// without a handler.

// noTraceback marks errors raised under PCall; its text ends up in
// ApiError.StackTrace only.
const noTraceback = "\t(stack traceback omitted)"

func panicNoTraceback(ls *lua.LState) {
	panic(&lua.ApiError{Type: lua.ApiErrorRun, Object: ls.Get(-1), StackTrace: noTraceback})
}

func trampoline(ls *lua.LState) int {
	old := ls.Panic
	ls.Panic = panicNoTraceback
	ls.Call(ls.GetTop()-1, lua.MultRet)
	ls.Panic = old
	return ls.GetTop()
}

// protect holds one state's trampoline function.
type protect struct {
	tramp *lua.LFunction
}

func newProtect(ls *lua.LState) *protect {
	return &protect{tramp: ls.NewFunction(trampoline)}
}

// PCall is ls.PCall(nargs, nret, nil) without gopher-lua's traceback (see
// above): the function is below its nargs arguments on the stack. The
// error, if any, is a *lua.ApiError whose Object is the Lua error value.
func PCall(ls *lua.LState, nargs, nret int) error {
	ls.Insert(ls.NewFunction(trampoline), ls.GetTop()-nargs)
	return ls.PCall(nargs+1, nret, nil)
}

func (p *protect) pcall(ls *lua.LState) int {
	checkAny(ls, 1)
	ls.Insert(p.tramp, 1)
	if err := ls.PCall(ls.GetTop()-1, lua.MultRet, nil); err != nil {
		ls.Push(lua.LFalse)
		ls.Push(errorValue(err))
		return 2
	}
	ls.Insert(lua.LTrue, 1)
	return ls.GetTop()
}

// xpcall calls the handler after the failed call has unwound (gopher-lua
// cannot run it on the error's stack without the problems above), so a
// handler sees the error value but not the failed call's frames.
func (p *protect) xpcall(ls *lua.LState) int {
	checkAny(ls, 1)
	h := ls.Get(2)
	ls.SetTop(1)
	ls.Insert(p.tramp, 1)
	if err := ls.PCall(1, lua.MultRet, nil); err != nil {
		ls.SetTop(0)
		ls.Push(lua.LFalse)
		ls.Push(h)
		ls.Push(errorValue(err))
		if err := ls.PCall(1, 1, nil); err != nil {
			ls.Push(errorValue(err))
		}
		return 2
	}
	ls.Insert(lua.LTrue, 1)
	return ls.GetTop()
}

func errorValue(err error) lua.LValue {
	var ae *lua.ApiError
	if errors.As(err, &ae) {
		return ae.Object
	}
	return lua.LString(err.Error())
}

// Caller makes protected calls on one state without gopher-lua's
// traceback (see PCall), reusing one trampoline function.
type Caller struct {
	tramp *lua.LFunction
}

// NewCaller returns a Caller for ls.
func NewCaller(ls *lua.LState) *Caller {
	return &Caller{tramp: ls.NewFunction(trampoline)}
}

// PCall is the package's PCall with the Caller's trampoline.
func (c *Caller) PCall(ls *lua.LState, nargs, nret int) error {
	ls.Insert(c.tramp, ls.GetTop()-nargs)
	return ls.PCall(nargs+1, nret, nil)
}

// assert is LuaJIT's: the message is raised as it is (no position added),
// any type; without one, "assertion failed!".
func baseAssert(ls *lua.LState) int {
	v := checkAny(ls, 1)
	if lua.LVAsBool(v) {
		return ls.GetTop()
	}
	if ls.GetTop() >= 2 {
		ls.Error(ls.Get(2), 0)
	}
	ls.Error(lua.LString("assertion failed!"), 0)
	return 0
}

// baseError is error(msg [, level]): a string message gets the position of
// the function at level (1: the caller of error) when that is Lua code.
func baseError(ls *lua.LState) int {
	msg := ls.Get(1)
	level := optInt(ls, 2, 1)
	if s, ok := msg.(lua.LString); ok && level > 0 {
		if dbg, ok := ls.GetStack(level); ok {
			if _, err := ls.GetInfo("Sl", dbg, lua.LNil); err == nil && dbg.What != "G" && dbg.CurrentLine > 0 {
				msg = lua.LString(dbg.Source + ":" + itoa(dbg.CurrentLine) + ": " + string(s))
			}
		}
	}
	ls.Error(msg, 0)
	return 0
}

func itoa(n int) string { return FormatNumber(float64(n)) }

func baseSelect(ls *lua.LState) int {
	nargs := ls.GetTop() - 1
	if s, ok := ls.Get(1).(lua.LString); ok && s == "#" {
		ls.Push(lua.LNumber(nargs))
		return 1
	}
	n := checkInt(ls, 1)
	if n < 0 {
		n += nargs + 1
	}
	if n <= 0 {
		argError(ls, 1, "index out of range")
	}
	if n > nargs {
		return 0
	}
	return nargs - n + 1
}

func baseType(ls *lua.LState) int {
	ls.Push(lua.LString(checkAny(ls, 1).Type().String()))
	return 1
}

// baseRawset returns the table, as Lua does (gopher-lua returns nothing).
func baseRawset(ls *lua.LState) int {
	t := checkTable(ls, 1)
	k := checkAny(ls, 2)
	v := checkAny(ls, 3)
	switch k := k.(type) {
	case *lua.LNilType:
		ls.Error(lua.LString("table index is nil"), 0)
	case lua.LNumber:
		if math.IsNaN(float64(k)) {
			ls.Error(lua.LString("table index is NaN"), 0)
		}
	}
	t.RawSet(k, v)
	ls.SetTop(1)
	return 1
}

// baseSetmetatable is setmetatable with LuaJIT's checks and messages.
func baseSetmetatable(ls *lua.LState) int {
	t := checkTable(ls, 1)
	mt := ls.Get(2)
	switch mt.(type) {
	case *lua.LNilType, *lua.LTable:
	default:
		argError(ls, 2, "nil or table expected")
	}
	if ls.GetMetaField(t, "__metatable") != lua.LNil {
		raise(ls, "cannot change a protected metatable")
	}
	t.Metatable = mt
	ls.SetTop(1)
	return 1
}

// coroutineFuncs wraps gopher-lua's coroutine.resume and yield so that
// their errors read as LuaJIT's.
func coroutineFuncs(co *lua.LTable) map[string]lua.LGFunction {
	resume := co.RawGetString("resume")
	return map[string]lua.LGFunction{
		"resume": func(ls *lua.LState) int {
			th, ok := ls.Get(1).(*lua.LState)
			if !ok {
				argError(ls, 1, "coroutine expected")
			}
			if th.Dead {
				ls.Push(lua.LFalse)
				ls.Push(lua.LString("cannot resume dead coroutine"))
				return 2
			}
			ls.Insert(resume, 1)
			ls.Call(ls.GetTop()-1, lua.MultRet)
			return ls.GetTop()
		},
		// yield returns -1 as gopher-lua's own does: the VM then yields
		// the values on the stack.
		"yield": func(ls *lua.LState) int {
			if ls.Parent == nil {
				ls.Error(lua.LString("attempt to yield across C-call boundary"), 0)
			}
			return -1
		},
	}
}
