package lualib

import (
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// raise raises msg as a Lua error, prefixed with "file:line: " when the
// function that called the running Go function is Lua code, as LuaJIT's
// lj_err_caller does (a call through pcall gets no prefix).
func raise(ls *lua.LState, msg string) {
	ls.Error(lua.LString(callerWhere(ls)+msg), 0)
}

// callerWhere is "file:line: " of the calling Lua frame, or "".
func callerWhere(ls *lua.LState) string {
	dbg, ok := ls.GetStack(1)
	if !ok {
		return ""
	}
	if _, err := ls.GetInfo("Sl", dbg, lua.LNil); err != nil {
		return ""
	}
	if dbg.What == "G" || dbg.CurrentLine <= 0 {
		return ""
	}
	return dbg.Source + ":" + strconv.Itoa(dbg.CurrentLine) + ": "
}

// funcName is the running Go function's name as the caller spelled it
// ("rep" for string.rep and s:rep), or "?" as LuaJIT says when the caller
// is not Lua code.
func funcName(ls *lua.LState) string {
	dbg, ok := ls.GetStack(0)
	if !ok {
		return "?"
	}
	if _, err := ls.GetInfo("n", dbg, lua.LNil); err != nil {
		return "?"
	}
	switch n := dbg.Name; {
	case n == "" || n == "(anonymous)" || n == "main chunk" || n == "corountine" || n[0] == '<':
		return "?"
	default:
		return n
	}
}

// argError raises LuaJIT's "bad argument #n to 'name' (msg)".
func argError(ls *lua.LState, n int, msg string) {
	raise(ls, "bad argument #"+strconv.Itoa(n)+" to '"+funcName(ls)+"' ("+msg+")")
}

// typeError is argError for a value of the wrong type.
func typeError(ls *lua.LState, n int, want string) {
	argError(ls, n, want+" expected, got "+typeNameAt(ls, n))
}

func typeNameAt(ls *lua.LState, n int) string {
	if n > ls.GetTop() {
		return "no value"
	}
	return ls.Get(n).Type().String()
}

// checkAny raises "value expected" for a missing argument.
func checkAny(ls *lua.LState, n int) lua.LValue {
	if n > ls.GetTop() {
		argError(ls, n, "value expected")
	}
	return ls.Get(n)
}

// checkString accepts a string or a number (converted as LuaJIT prints it).
func checkString(ls *lua.LState, n int) string {
	switch v := ls.Get(n).(type) {
	case lua.LString:
		return string(v)
	case lua.LNumber:
		if n <= ls.GetTop() {
			return FormatNumber(float64(v))
		}
	}
	typeError(ls, n, "string")
	return ""
}

func optString(ls *lua.LState, n int, def string) string {
	if ls.Get(n) == lua.LNil {
		return def
	}
	return checkString(ls, n)
}

// checkNumber accepts a number or a string that converts to one.
func checkNumber(ls *lua.LState, n int) float64 {
	switch v := ls.Get(n).(type) {
	case lua.LNumber:
		if n <= ls.GetTop() {
			return float64(v)
		}
	case lua.LString:
		if f, ok := ParseNumber(string(v)); ok {
			return f
		}
	}
	typeError(ls, n, "number")
	return 0
}

// toInt32 is LuaJIT's lj_num2int on x86-64: truncation, and the
// "integer indefinite" 0x80000000 for NaN and values out of range.
func toInt32(f float64) int32 {
	if f >= -2147483648.0 && f < 2147483648.0 {
		return int32(f)
	}
	return math.MinInt32
}

// toInt64 is a truncating conversion with x86-64's 0x8000000000000000 for
// NaN and values out of range (LuaJIT's %d on 2^63 prints that).
func toInt64(f float64) int64 {
	if f >= -9223372036854775808.0 && f < 9223372036854775808.0 {
		return int64(f)
	}
	return math.MinInt64
}

func checkInt(ls *lua.LState, n int) int {
	return int(toInt32(checkNumber(ls, n)))
}

func optInt(ls *lua.LState, n int, def int) int {
	if ls.Get(n) == lua.LNil {
		return def
	}
	return checkInt(ls, n)
}

func checkTable(ls *lua.LState, n int) *lua.LTable {
	if t, ok := ls.Get(n).(*lua.LTable); ok {
		return t
	}
	typeError(ls, n, "table")
	return nil
}

func checkFunction(ls *lua.LState, n int) *lua.LFunction {
	if f, ok := ls.Get(n).(*lua.LFunction); ok {
		return f
	}
	typeError(ls, n, "function")
	return nil
}

// padNil makes a missing first argument an explicit nil: the LuaJIT
// builtins whose errors say "got nil" rather than "got no value" when
// called without arguments (string.len, table.getn, table.remove, ...).
func padNil(ls *lua.LState) {
	if ls.GetTop() == 0 {
		ls.Push(lua.LNil)
	}
}
