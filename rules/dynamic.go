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
		"`getfenv`/`setfenv` can swap a function's globals for the real ones.",
	Run: func(pass *analyzer.Pass) error {
		reportReferences(pass, dynamicCodePath, func(expr, what string) string {
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

func runDynamicGlobalAccess(pass *analyzer.Pass) error {
	for _, ref := range pass.Refs() {
		ix, ok := ref.Expr.(*ast.AttrGetExpr)
		if !ok {
			continue
		}
		if tbl := sensitiveTable(pass.Values(ix.Object)); tbl != "" {
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
