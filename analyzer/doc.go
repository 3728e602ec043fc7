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
// gopher-lua's AST carries lines only. The analyzer lexes the source itself
// (which also decodes string literals with LuaJIT's escape rules, where
// gopher-lua follows Lua 5.1) and aligns AST leaves with tokens in source
// order, so every expression has an exact byte span.
package analyzer
