// Package analyzer is the engine of wrklint: it loads a Lua source file,
// parses it with gopher-lua, recovers exact positions from its own token
// stream, resolves what every name refers to, and runs rules over the
// result.
//
// # Rules
//
// A Rule is a value: metadata (ID, name, level, CWE, documentation) plus a
// Run function. Rules live in package rules; they receive a *Pass and report
// Findings through it. They never read files or match source text: they ask
// the Pass what an expression evaluates to.
//
// # Positions
//
// gopher-lua's AST carries lines only. Package internal/luasrc lexes the
// source itself (which also decodes string literals with LuaJIT's escape
// rules, where gopher-lua follows Lua 5.1), rewrites LuaJIT-only syntax for
// gopher-lua's parser, and aligns AST leaves with tokens in source order,
// so every expression has an exact byte span. The analyzer's File wraps
// luasrc's.
//
// # Values and the solver
//
// The solver (program) is a flow-insensitive abstract interpretation: every
// variable, table field, function parameter and result, and library member
// the script writes has a set of abstract values (Value), and passes over
// the whole file repeat until no set grows. Library members are values of
// kind KLib named by a path ("os.execute", "io.file:write",
// "module:cjson.decode"); script tables and functions are values too, one
// per constructor or function expression. The records a rule reads (Refs,
// Calls, Stores, Returns, Escapes) are those of the last pass, which ran on
// the fixed point. Rules' own caches (LibRefs, CallsTo) are built on demand
// after solving and never feed back into it.
//
// # Capabilities: the soundness principle
//
// A capability is a value that reaches outside the script or runs code:
// the libraries os, io, debug, package, jit, ffi and network modules, their
// functions, require, load, loadstring, loadfile, dofile, string.dump,
// setfenv/getfenv, setmetatable, rawset, newproxy, the globals table, the
// string metatable, file handles — and any table or function that holds one
// (in a field, a key or a metatable; as a result). Library (the table in
// library.go) says for each library member what capability it is, how a
// call to it is modelled (pure, data, opaque, or a model of its own), what
// taint its results carry, whether its arguments leave as output, commands
// or code, and which arguments it calls back. That table is the one place
// library knowledge lives.
//
// Capabilities flow like any value: through locals, globals, fields,
// upvalues, parameters, returns, varargs, select and unpack, table
// constructors and keys, and the builtins that move values, which are
// modelled: pcall and xpcall (their handlers and results), error and assert
// values (one set per script, returned by every pcall, passed to every
// xpcall handler and coroutine.resume), coroutines in both directions, the
// callbacks of table.sort, table.foreach/foreachi and string.gsub (a library
// function given as the callback is recorded as a call of it), implicit
// metamethods (__index, __newindex, __call, __concat, __tostring,
// arithmetic, comparisons, __len, __unm, __metatable) on tables,
// newproxy(true) userdata and library tables, writes into the string
// metatable, and package.loaded/package.preload followed by require.
//
// A capability can escape in only one way: into something this model does
// not cover — an argument of a function the analysis cannot resolve or a
// library or module function it does not model, a store into a table it
// cannot see or under a computed key of a library table, a metatable given
// to a value it cannot see. The solver records each such flow as an Escape,
// and WL403 reports those that carry a capability, naming it and where it
// went. Nothing is dropped silently: what the model does not follow is
// either modelled, or reported.
//
// # Programs
//
// With Config.FollowModules (AnalyzeProgram), a require of a constant name
// that resolves to a Lua file (modules.go: the script's directory, then
// package.path templates the script stores with constants) makes the
// script and its modules one program: each module, once it parses on its
// own, becomes the body of a function in a block of its own ahead of the
// script in one combined source, and require(name) calls that function
// with the name and returns what it returns. Each module is first solved
// on its own to find the modules it requires, so that the combined source
// is normally solved once; it is solved again only when a module name
// becomes constant through values from another file (bounded by maxModules
// and maxProgramBytes). Findings are then moved back to the file holding them,
// with the chain of calls that reaches them from other files as Related,
// and each file's directives apply to its own findings. A file without a
// local require is analysed exactly as before.
//
// Tainted data (response bodies and headers, environment values, file
// data, script arguments, hard-coded secrets) follows the same paths but is
// never reported where it escapes: what goes into something unmodelled
// comes back out tainted — in the results, in the parameters of functions
// passed along, in the tables passed along — and only a sink reports it.
// Sanitizers are few and real: lengths, type, base-10 tonumber,
// comparisons. tostring, tonumber with another base, arithmetic, os.date
// with a tainted format, and table keys keep the taint.
//
// # Implicit flows
//
// Data rebuilt without being copied is followed too (implicit.go): a
// Source says which part of the data a value holds (all of it, a piece
// chosen at run time, a length that is data, or what a test of a piece
// revealed). A comparison or condition on a piece — not on a whole value,
// not on a fixed piece against a constant — puts the statements it guards
// under control: what they assign, return or pass on carries the data,
// and the sink rules report it as usual. Lengths, tonumber and lookups
// keep only those parts, so #body and counts[status] stay clean.
package analyzer
