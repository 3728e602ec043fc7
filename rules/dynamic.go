package rules

import (
	"strings"

	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/analyzer"
)

// DynamicCode is WL401.
var DynamicCode = &analyzer.Rule{
	ID:               "WL401",
	Name:             "DynamicCode",
	Level:            analyzer.LevelError,
	CWE:              94,
	Title:            "Do not load or generate code at run time",
	Precision:        "very-high",
	SecuritySeverity: "9.5",
	Bad:              "local extra = loadstring(\"return \" .. (os.getenv(\"EXTRA\") or \"1\"))\n",
	Good:             "local extra = tonumber(os.getenv(\"EXTRA\")) or 1\n",
	Description: "The script refers to load, loadstring, loadfile, dofile, string.dump, setfenv, getfenv or the " +
		"debug library, requires a module whose name is not constant, or changes package.path or package.cpath. Code loaded at run time cannot be " +
		"reviewed, and these functions can escape any sandbox or analysis.",
	Help: "Everything a script does must be visible in the script. Replace `dofile(\"data.lua\")` with reading " +
		"data (`io.lines`, a JSON file decoded with cjson), and `require(name)` with `require \"name\"`.\n\n" +
		"`debug` can read and change any local or upvalue and hook every instruction; " +
		"`getfenv`/`setfenv` can swap a function's globals for the real ones.\n\n" +
		"One use of `debug` is not reported at all (no finding, not even a note): " +
		"`debug.getinfo(1, \"S\").source` and the like, which scripts use to find their own directory. " +
		"Level 1 is the function that calls `debug.getinfo`; the options `S`, `l`, `n` and `u` give only strings " +
		"and numbers about it. Accepted are `debug.getinfo(1, opts)` with a literal 1 and literal options made of " +
		"those letters, and `debug.getinfo(1)` when one of its data fields (`source`, `short_src`, `currentline`, " +
		"`what`, ...) is read off the call at once. Still reported: another level or a computed one, a function " +
		"argument, the options `f` and `L` or the `func` and `activelines` fields (they hand out the function or its " +
		"lines), and any reference to `debug` or one of its members that is not such a call: an alias " +
		"(`local d = debug`), an argument, a store, and every other debug function (getlocal, setlocal, getupvalue, " +
		"setupvalue, sethook, gethook, getmetatable, setmetatable, getregistry, getfenv, setfenv, traceback, ...).",
	Run: func(pass *analyzer.Pass) error {
		// Without a reference to check, no debug.getinfo call to exempt.
		if anyReferenceMatches(pass, dynamicCodePath) {
			reportDynamicCode(pass)
		}
		for _, c := range callsTo(pass, "require") {
			if _, all := c.Arg(0).ConstStrings(); !all {
				pass.Reportf(callNode(c), "require of a module name that is not constant can load any code")
			}
		}
		// package.path and package.cpath say where require finds code:
		// changing them makes require "cjson" load any file.
		for _, st := range pass.Stores() {
			if st.At == nil || !st.Object.HasLib("package") {
				continue
			}
			names, all := st.Key.ConstStrings()
			for _, n := range names {
				if n == "path" || n == "cpath" {
					all = false
				}
			}
			if !all && !appendsToOld(pass, st) {
				pass.Reportf(st.At, "%s changes where require finds modules, so any code can be loaded under a trusted name", pass.Text(st.At))
			}
		}
		return nil
	},
}

// reportDynamicCode reports the references to code loaders and the debug
// library (WL401's first part), but for self-introspection.
func reportDynamicCode(pass *analyzer.Pass) {
	reportReferencesExcept(pass, dynamicCodePath, selfIntrospection(pass), func(expr, what string) string {
		desc := map[string]string{
			"load": "compiles code at run time", "loadstring": "compiles code at run time",
			"loadfile": "loads code from a file", "dofile": "runs code from a file",
			"string.dump": "serialises functions to bytecode", "setfenv": "replaces a function's environment",
			"getfenv": "reaches a function's environment",
		}[what]
		if desc == "" {
			const debugLib = "the debug library, which can read and change any variable and hook execution"
			switch {
			case what == "debug" && expr == what:
				return "debug is " + debugLib
			case what == "debug":
				return expr + " is " + debugLib
			case expr == what:
				return what + " is part of " + debugLib
			}
			return expr + " is " + what + ", part of " + debugLib
		}
		if expr == what {
			return what + " " + desc
		}
		return expr + " is " + what + ", which " + desc
	})
}

// selfInfoFields are the fields of debug.getinfo's table that are data
// about the calling function: no function value (func), no table of
// lines (activelines).
var selfInfoFields = map[string]bool{
	"source": true, "short_src": true, "what": true, "currentline": true, "linedefined": true,
	"lastlinedefined": true, "name": true, "namewhat": true, "nups": true,
}

// selfIntrospection returns the debug.getinfo expressions that only read
// where the script itself is: debug.getinfo(1, "S").source, as scripts do
// to find their own directory. Level 1 is the calling function; the
// options S, l, n and u return strings and numbers about it, no function
// and no other frame. Without options the table also holds the function
// (func), so only a field read off the call at once is accepted. Any
// other reference to debug (an alias, an argument, a store) is still
// reported on its own.
func selfIntrospection(pass *analyzer.Pass) map[ast.Expr]bool {
	// The field read directly off each call's result.
	fieldOf := map[*ast.FuncCallExpr]string{}
	for _, ref := range pass.Refs() {
		call, ok := ref.Expr.(*ast.FuncCallExpr)
		if !ok || ref.Role != analyzer.RoleObject {
			continue
		}
		if ix, ok := ref.Parent.(*ast.AttrGetExpr); ok && ix.Object == ref.Expr {
			if k, ok := ix.Key.(*ast.StringExpr); ok {
				fieldOf[call] = k.Value
			}
		}
	}
	skip := map[ast.Expr]bool{}
	for _, c := range callsTo(pass, "debug.getinfo") {
		if c.Node == nil || c.Method || c.Indirect || c.Node.Receiver != nil {
			continue
		}
		fn, ok := c.Node.Func.(*ast.AttrGetExpr)
		if !ok || len(pass.Values(fn).Values()) != 1 || !pass.Values(fn).HasLib("debug.getinfo") {
			continue
		}
		if len(c.Node.Args) == 0 || !isLiteralOne(c.Node.Args[0]) {
			continue // a function argument or another level: another frame
		}
		switch {
		case len(c.Node.Args) == 1:
			if !selfInfoFields[fieldOf[c.Node]] {
				continue
			}
		case len(c.Node.Args) == 2:
			opts, ok := c.Node.Args[1].(*ast.StringExpr)
			if !ok || opts.Value == "" || strings.Trim(opts.Value, "Slnu") != "" {
				continue
			}
		default:
			continue
		}
		skip[fn] = true
	}
	return skip
}

func isLiteralOne(e ast.Expr) bool {
	n, ok := e.(*ast.NumberExpr)
	return ok && strings.TrimSpace(n.Value) == "1"
}

func dynamicCodePath(p string) string {
	switch p {
	case "load", "loadstring", "loadfile", "dofile", "string.dump", "setfenv", "getfenv", "debug":
		return p
	}
	if strings.HasPrefix(p, "debug.") {
		return p
	}
	return ""
}

// DynamicGlobalAccess is WL402.
var DynamicGlobalAccess = &analyzer.Rule{
	ID:        "WL402",
	Name:      "DynamicGlobalAccess",
	Level:     analyzer.LevelError,
	CWE:       470,
	Title:     "Do not index globals or system libraries with computed keys",
	Precision: "high",
	Bad:       "local name = wrk.method:lower()\nlocal f = _G[name]\n",
	Good:      "local now = os.time()\n",
	Description: "The script indexes _G, _ENV, getfenv() or a sensitive library (os, io, package, debug) with a key " +
		"that does not fold to a constant, uses rawget/rawset on them, iterates them, or sets a metatable on _G. " +
		"This is how scripts hide a call to os.execute from reviewers and linters.",
	Help: "wrklint folds keys built from constants (`\"o\"..\"s\"`, `string.char(111, 115)`, `(\"etucexe\"):reverse()`, " +
		"`table.concat{...}`, `string.format`, LuaJIT escapes) and reports what they name. A key that depends on run-time " +
		"data cannot be checked, so the access itself is reported.\n\n" +
		"A computed key of `_G` is not reported when what is known of it excludes every name that matters: " +
		"wrklint tracks the constant prefix and suffix of strings it cannot fold, so `_G[\"action_fail_\" .. name]`, " +
		"`_G[prefix .. status]` with `local prefix = \"status_\"`, `_G[ctype .. \"_count\"]` and " +
		"`_G[\"scenario_\" .. name]` with `name` picked from a table of constants are a script's own " +
		"globals: no library, builtin function (`os`, `io`, `debug`, `package`, `require`, `load`, `loadstring`, " +
		"`dofile`, `setfenv`, `rawset`, `setmetatable`, `string`, `_G`, `ffi`, `jit`, `newproxy`, ...), `wrk` or wrk " +
		"hook (`setup` ... `done`) has that prefix or suffix. A key such as `\"o\" .. x` or `x .. \"s\"` may still be " +
		"`os` and is reported, as is every computed key of os, io, package or debug themselves.\n\n" +
		"Writes are less dangerous than reads. A write under a computed name can at worst replace a global the rest " +
		"of the script calls (or define a hook wrklint's hook model does not see), which is why the same names are " +
		"excluded for writes; a read can hand the script a capability under a name no reviewer sees, which is how " +
		"`_G[name].execute(...)` hides a command. Both are decided on the same shapes; the message says which it is.\n\n" +
		"Name the function you need directly: `os.time()`, not `os[name]()`.",
	Run: runDynamicGlobalAccess,
}

// sensitiveTable names the library tables whose dynamic indexing is
// reported.
func sensitiveTable(vals *analyzer.ValueSet) string {
	for _, v := range vals.Values() {
		switch p := v.Path(); p {
		case "_G", "os", "io", "package", "debug", "package.loaded", "package.preload":
			if p == "_G" {
				return "the globals table"
			}
			return p
		}
	}
	return ""
}

// globalNames are the names a computed key of _G must not be able to
// take: every library and function LuaJIT and wrk define (capabilities or
// not: overwriting tostring changes what the rest of the script calls),
// the tables a module system or shim may add, and wrk's hooks (a hook
// defined under a computed name hides its body from the hook model).
var globalNames = []string{
	"_G", "_ENV", "_VERSION", "arg", "assert", "bit", "bit32", "collectgarbage", "coroutine", "debug",
	"dofile", "error", "ffi", "gcinfo", "getfenv", "getmetatable", "io", "ipairs", "jit", "load",
	"loadfile", "loadstring", "math", "module", "newproxy", "next", "os", "package", "pairs", "pcall",
	"print", "rawequal", "rawget", "rawlen", "rawset", "require", "select", "setfenv", "setmetatable",
	"string", "table", "tonumber", "tostring", "type", "unpack", "utf8", "xpcall",
	"wrk", "setup", "init", "delay", "request", "response", "done",
}

// onlyGlobals reports whether the only sensitive table in vals is _G: a
// shaped key says nothing about which member of os or io it names.
func onlyGlobals(vals *analyzer.ValueSet) bool {
	for _, v := range vals.Values() {
		switch v.Path() {
		case "_G":
		case "os", "io", "package", "debug", "package.loaded", "package.preload":
			return false
		}
	}
	return true
}

// cannotNameLibrary reports whether every string the key may be is known
// well enough (a constant, or a constant prefix or suffix) to exclude
// each of globalNames. A value of which nothing is known may be any name.
func cannotNameLibrary(key *analyzer.ValueSet) bool {
	if key.Empty() || !key.HasKind(analyzer.KShape) && len(key.Values()) < 2 {
		// One constant: the folding check decides. Several (a name
		// picked from a table of constants) are checked one by one.
		return false
	}
	for _, v := range key.Values() {
		switch v.Kind {
		case analyzer.KShape, analyzer.KString, analyzer.KNumber:
		default:
			return false
		}
		for _, n := range globalNames {
			if v.MayBe(n) {
				return false
			}
		}
	}
	return true
}

func runDynamicGlobalAccess(pass *analyzer.Pass) error {
	for _, ref := range pass.Refs() {
		ix, ok := ref.Expr.(*ast.AttrGetExpr)
		if !ok {
			continue
		}
		if tbl := sensitiveTable(pass.Values(ix.Object)); tbl != "" {
			if onlyGlobals(pass.Values(ix.Object)) && cannotNameLibrary(pass.Values(ix.Key)) {
				continue // _G["count_" .. name]: a script's own global
			}
			if _, ok := pass.Values(ix.Key).ConstString(); !ok || !pass.Folds(ix.Key) {
				pass.Reportf(ix, "%s indexes %s with a key that is not constant", pass.Text(ix), tbl)
			}
		}
	}
	for _, st := range pass.Stores() {
		if st.Target == nil {
			continue
		}
		ix, ok := st.Target.(*ast.AttrGetExpr)
		if !ok {
			continue
		}
		if tbl := sensitiveTable(st.Object); tbl != "" {
			if onlyGlobals(st.Object) && cannotNameLibrary(st.Key) {
				continue
			}
			if _, ok := st.Key.ConstString(); !ok || !pass.Folds(ix.Key) {
				pass.Reportf(st.Target, "%s writes into %s with a key that is not constant", pass.Text(st.Target), tbl)
			}
		}
	}
	for _, fn := range []string{"rawget", "rawset", "setmetatable", "pairs", "ipairs", "next"} {
		for _, c := range callsTo(pass, fn) {
			tbl := sensitiveTable(c.Arg(0))
			if tbl == "" || (fn == "setmetatable" && tbl != "the globals table") {
				continue
			}
			switch fn {
			case "rawget", "rawset":
				pass.Reportf(callNode(c), "%s on %s bypasses checks on its contents", fn, tbl)
			case "setmetatable":
				pass.Reportf(callNode(c), "setmetatable on the globals table can redirect every global name")
			default:
				pass.Reportf(callNode(c), "%s iterates %s, reaching its members without naming them", fn, tbl)
			}
		}
	}
	return nil
}

// appendsToOld reports whether a store into package.path or package.cpath
// keeps the old value first (package.path = package.path .. ";lib/?.lua"):
// a directory searched last finds the script's own helpers but cannot
// shadow a module that is installed.
func appendsToOld(pass *analyzer.Pass, st analyzer.Store) bool {
	c, ok := st.ValueExpr.(*ast.StringConcatOpExpr)
	if !ok {
		return false
	}
	k, ok := st.Key.ConstString()
	if !ok {
		return false
	}
	for {
		inner, ok := c.Lhs.(*ast.StringConcatOpExpr)
		if !ok {
			break
		}
		c = inner
	}
	return pass.Values(c.Lhs).HasLib("package." + k)
}
