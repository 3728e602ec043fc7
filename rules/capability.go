package rules

import (
	"strings"

	"github.com/wrklint/wrklint/analyzer"
)

// CapabilityEscape is WL403.
var CapabilityEscape = &analyzer.Rule{
	ID:        "WL403",
	Name:      "CapabilityEscape",
	Level:     analyzer.LevelError,
	CWE:       470,
	Title:     "Do not pass capabilities to code the analysis cannot follow",
	Precision: "high",
	Bad:       "local cjson = require(\"cjson\")\nlocal lib = cjson.decode(cjson.encode({ sys = os }))\n",
	Good:      "local cjson = require(\"cjson\")\nlocal started = os.time()\nlocal body = cjson.encode({ started = started })\n",
	Description: "A capability — os, io, debug, package, jit, ffi or a network module, one of their functions, require, " +
		"load, loadstring, loadfile, dofile, string.dump, setfenv, getfenv, setmetatable, rawset, newproxy, the globals table, " +
		"the string metatable, a file handle, or a table or function that holds one — flows into something " +
		"wrklint does not model: a function it cannot resolve, a library or module function whose arguments it does not " +
		"follow, a table it cannot see, a computed key of a library table, or the metatable of a value it cannot see. " +
		"What the capability is used for there cannot be checked, so the flow itself is reported.",
	Help: "wrklint follows capabilities as values through locals, globals, fields, upvalues, parameters, returns, varargs, " +
		"`select`, `unpack`, table constructors and keys, metatables and their metamethods, `pcall`/`xpcall` and `error` " +
		"values, coroutines, and the callbacks of `table.sort`, `table.foreach`, `string.gsub`. Where a capability leaves " +
		"what it follows — `cjson.encode({ sys = os })`, `mystery(io.open)`, `package.loaded[name] = os`, " +
		"`setmetatable(userdata, { __index = os })` — it cannot say what happens next, and a silent miss is worse than a " +
		"finding.\n\n" +
		"Call the function you need where you need it (`os.time()`), pass the data it produces rather than the library, " +
		"and keep libraries out of tables handed to modules. Tainted data (response bodies, environment values) passed to " +
		"such code is not reported here: it comes back out tainted and the data-flow rules (WL501-WL504) report it where " +
		"it leaves.\n\n" +
		"WL403 is new in this release and turns some scripts that passed before into failures. To adopt it gradually, " +
		"record the current findings and report only new ones with `wrklint --baseline previous.json`, or lower the " +
		"rule for a while with `rules: {level: {WL403: warning}}` in `.wrklint.yml`.",
	Run: runCapabilityEscape,
}

func runCapabilityEscape(pass *analyzer.Pass) error {
	reported := map[any]bool{}
	for _, esc := range pass.Escapes() {
		if reported[esc.Node] {
			continue
		}
		held, ok := pass.Capability(esc.Values)
		if !ok || sameModule(held.Path, esc.Callee) {
			continue
		}
		reported[esc.Node] = true
		what := held.Path
		if held.Via != "" {
			what = held.Via + " holding " + held.Path
		}
		pass.Reportf(esc.Node, "%s, which %s, flows into %s: what it is used for there cannot be checked",
			what, held.Cap, esc.Into)
	}
	return nil
}

// sameModule reports whether a module's own object goes back into the
// same module (ffi.C.clock_gettime(6, ffi.new(...))): WL301 reports the
// module, and nothing new escapes.
func sameModule(held, callee string) bool {
	return moduleRoot(held) != "" && moduleRoot(held) == moduleRoot(callee)
}

func moduleRoot(path string) string {
	name, ok := strings.CutPrefix(path, "module:")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(name, ".(:"); i >= 0 {
		name = name[:i]
	}
	return name
}
