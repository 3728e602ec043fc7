// Package lualib is the Lua standard library wrkrun and the analyzer's
// partial evaluator install into gopher-lua states instead of gopher-lua's
// own: string (without dump), table, math, bit, tostring, tonumber and
// unpack, written against LuaJIT 2.1's behaviour (the reference is the
// luajit binary; the differential suite in this package compares the two
// line by line).
//
// # Bounds
//
// Every function a script can reach checks sizes and counts before it
// allocates and counts its work: a string result larger than
// Limits.MaxString, more than Limits.MaxTable values created by one call,
// or more than Limits.MaxSteps steps of pattern matching or element moves
// in one call end with a Lua error ("not enough memory", LuaJIT's wording,
// for sizes). Work loops also poll the state's context, so cancelling it
// stops a long library call, not only the VM. Go recursion (the pattern
// matcher) is bounded by the library, never by the script.
//
// # Errors
//
// Error messages follow LuaJIT's wording: "bad argument #1 to 'rep'
// (number expected, got nil)", with the "file:line:" prefix only when the
// caller is Lua code, and '?' as the function name when LuaJIT cannot name
// it either (a call through pcall).
package lualib
