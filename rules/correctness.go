package rules

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/analyzer"
)

// The wrk-correctness rules (WL801-WL805) report scripts that run without
// error but do not do what they say, because of wrk's hook model
// (SCRIPTING, "Scripting API" and "Lua states"): wrk calls only the
// globals setup, init, delay, request, response and done; setup and done
// run in the main Lua state, the others in one state per thread. They are
// warnings with no CWE: bugs, not vulnerabilities. Precision comes first:
// each rule skips what it cannot tell from a deliberate choice.

// MisspelledHook is WL801.
var MisspelledHook = &analyzer.Rule{
	ID:        "WL801",
	Name:      "MisspelledHook",
	Level:     analyzer.LevelWarning,
	Title:     "Name wrk hooks exactly as wrk calls them",
	Precision: "high",
	Bad:       "function respone(status, headers, body)\n  if status ~= 200 then errors = (errors or 0) + 1 end\nend\n", //nolint:misspell // the misspelt hook is the example
	Good:      "function response(status, headers, body)\n  if status ~= 200 then errors = (errors or 0) + 1 end\nend\n",
	Description: "A global function is named almost like a wrk hook (setup, init, delay, request, response, done): " +
		"the same letters in another case, or at most one letter shorter and one edit from init or done (with the " +
		"same first letter) or two from the longer hooks, and nothing in the script calls, passes, stores or names it. wrk looks hooks up by their exact " +
		"names (SCRIPTING, \"Scripting API\"), so it never calls this function and the script silently does less " +
		"than it says.",
	Help: "wrk calls the global functions `setup`, `init`, `delay`, `request`, `response` and `done`, by these exact, " +
		"lower-case names. A function named `respone`, `Init` or `dones` is never called: no error, no warning, " + //nolint:misspell // a misspelt hook is the subject
		"only a benchmark that does not do what the script says.\n\n" +
		"Rename the function to the hook's name:\n\n" +
		"```lua\nfunction response(status, headers, body)\n  -- ...\nend\n```\n\n" +
		"Not reported: a function the script itself calls, passes, stores or names in a string (a helper such as " +
		"`requests_for`), a script that also defines the hook itself, names with digits or underscores " +
		"(`request2`, `_request`, often a hook switched off on purpose), and names further from a hook " +
		"(`exit`, `node`, `set`). To keep an intentionally unused function, call it, or suppress the finding " +
		"with `-- wrklint:ignore WL801 -- reason`.",
	Run: runMisspelledHook,
}

// LocalHook is WL802.
var LocalHook = &analyzer.Rule{
	ID:        "WL802",
	Name:      "LocalHook",
	Level:     analyzer.LevelWarning,
	Title:     "Define wrk hooks as globals",
	Precision: "high",
	Bad:       "local counter = 0\nlocal function request()\n  counter = counter + 1\n  return wrk.format(nil, \"/item/\" .. counter)\nend\n",
	Good:      "local counter = 0\nfunction request()\n  counter = counter + 1\n  return wrk.format(nil, \"/item/\" .. counter)\nend\n",
	Description: "A function with a hook's name (setup, init, delay, request, response, done) is declared local " +
		"and never made global: wrk looks hooks up among the globals of the script's Lua state (SCRIPTING, " +
		"\"Scripting API\"), so it never calls a local one.",
	Help: "`local function request()` hides the function from wrk, which reads the global `request`. " +
		"The script runs without error and the hook is silently ignored: wrk sends its static request, never " +
		"counts responses, or never prints the report.\n\n" +
		"Drop the `local`:\n\n" +
		"```lua\nfunction request()\n  return wrk.format(nil, \"/item/\" .. counter)\nend\n```\n\n" +
		"Not reported: a local that the script also assigns to the global (`request = request`, " +
		"`_G.request = request`, `rawset(_G, \"request\", request)`), or that it uses in any other way " +
		"(calls itself, stores in a table, returns from a module).",
	Run: runLocalHook,
}

// ThreadStateInDone is WL803.
var ThreadStateInDone = &analyzer.Rule{
	ID:        "WL803",
	Name:      "ThreadStateInDone",
	Level:     analyzer.LevelWarning,
	Title:     "Collect per-thread values with thread:get, not globals, in done()",
	Precision: "high",
	Bad: "errors = 0\nfunction response(status)\n  if status >= 500 then errors = errors + 1 end\nend\n" +
		"function done(summary)\n  print(\"5xx: \" .. errors)\nend\n",
	Good: "errors = 0\nlocal threads = {}\nfunction setup(thread)\n  table.insert(threads, thread)\nend\n" +
		"function response(status)\n  if status >= 500 then errors = errors + 1 end\nend\n" +
		"function done(summary)\n  local n = 0\n  for _, t in ipairs(threads) do n = n + t:get(\"errors\") end\n  print(\"5xx: \" .. n)\nend\n",
	Description: "done() reads a global or a local of the main chunk, or the contents of such a table, that only " +
		"init(), delay(), request() or response() write (directly or through functions only they call). Those hooks run in the threads' " +
		"Lua states; done() runs in the main state (SCRIPTING, \"Scripting API\": setup and done run in a " +
		"separate state), so it always sees the value the script started with: a counter that is always 0, " +
		"a table that is always empty.",
	Help: "Each wrk thread has its own Lua state, and `setup()` and `done()` run in yet another one, the main " +
		"state. A global counted up in `response()` is one counter per thread, and the main state's copy is " +
		"never touched: `done()` prints its initial value.\n\n" +
		"Keep the threads in `setup()` and read each thread's value with `thread:get` in `done()` (wrk's " +
		"`scripts/setup.lua`):\n\n" +
		"```lua\nlocal threads = {}\nfunction setup(thread)\n  table.insert(threads, thread)\nend\n\n" +
		"function done(summary, latency, requests)\n  local n = 0\n  for _, t in ipairs(threads) do\n    n = n + t:get(\"errors\")\n  end\n  print(\"5xx: \" .. n)\nend\n```\n\n" +
		"`thread:get` copies numbers, strings, booleans and flat tables (wrk crashes on nested ones). " +
		"For totals wrk already counts, use `done()`'s `summary` (`summary.requests`, `summary.errors.status`).\n\n" +
		"Not reported: values written in `setup()`, in `done()` itself, or by functions the main chunk calls; " +
		"a read of a global that is written in a function wrklint cannot place. The initialisation at the top " +
		"of the script (`errors = 0`) does not count as a write: it is the value `done()` sees. " +
		"In SARIF the finding links to the writes.",
	Run: runThreadStateInDone,
}

// RequestWithoutResult is WL804.
var RequestWithoutResult = &analyzer.Rule{
	ID:        "WL804",
	Name:      "RequestWithoutResult",
	Level:     analyzer.LevelWarning,
	Title:     "Return a request string from every path of request()",
	Precision: "high",
	Bad:       "function request()\n  wrk.format(\"GET\", \"/\")\nend\n",
	Good:      "function request()\n  return wrk.format(\"GET\", \"/\")\nend\n",
	Description: "request() can end without returning anything (a wrk.format call without return, an if or " +
		"elseif chain without else and no return after it), or returns nothing, nil, a boolean, a number or a " +
		"table. wrk sends the string request() returns (SCRIPTING, \"request\"): with no string, the start-up " +
		"check fails or the connection has nothing to send.",
	Help: "`request()` must return the raw HTTP request to send, usually built by `wrk.format`. A path that " +
		"ends without `return` returns nil:\n\n" +
		"```lua\nfunction request()\n  if math.random() < 0.5 then\n    return wrk.format(\"GET\", \"/a\")\n  elseif math.random() < 0.5 then\n    return wrk.format(\"GET\", \"/b\")\n  end\n  -- falls off the end: nil\nend\n```\n\n" +
		"Give every path a return, or end with a default one:\n\n" +
		"```lua\nfunction request()\n  if math.random() < 0.5 then\n    return wrk.format(\"GET\", \"/a\")\n  end\n  return wrk.format(\"GET\", \"/b\")\nend\n```\n\n" +
		"Not reported: a path that ends in `error(...)` or `os.exit(...)`, or returns the result of a call or " +
		"a variable that may hold a string.",
	Run: runRequestWithoutResult,
}

// UnknownWrkField is WL805.
var UnknownWrkField = &analyzer.Rule{
	ID:        "WL805",
	Name:      "UnknownWrkField",
	Level:     analyzer.LevelWarning,
	Title:     "Use only the fields the wrk table has",
	Precision: "high",
	Bad:       "wrk.method = \"POST\"\nwrk.header[\"Content-Type\"] = \"application/json\"\n",
	Good:      "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n",
	Description: "The script reads or writes a field of the wrk table that wrk does not have (wrk.header, " +
		"wrk.methods, wrk.url, wrk.requests, wrk.duration). Reading it gives nil; writing it changes nothing " +
		"wrk looks at (SCRIPTING, \"Scripting API\", lists the fields).",
	Help: "wrk's table has `scheme`, `host`, `port`, `method`, `path`, `headers`, `body` and `thread`, the " +
		"functions `format`, `lookup` and `connect`, and the internals real scripts touch (`resolve`, `setup`, " +
		"`init`, `request`, `addrs`). wrkrun adds `shard` and `shards` (see docs/distributed.md). wrk2's " +
		"`time_us` is not in wrk 4 or wrkrun. Anything else is nil, and setting it configures nothing: " +
		"`wrk.requests = 1000` does not limit the run, `wrk.header[...]` fails on nil.\n\n" +
		"```lua\nwrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n```\n\n" +
		"Durations, connection counts and thread counts are command-line flags (`-d`, `-c`, `-t`).\n\n" +
		"Not reported, unless the name is one or two edits from a real field (`wrk.methods or \"GET\"` is a typo): " +
		"a field the script tests for before use (`if wrk.time_us then`, `wrk.time_us and wrk.time_us()`, " +
		"`wrk.x ~= nil`, `type(wrk.x)`), and a field the script both sets and reads (it keeps its own data in the wrk " +
		"table). Keys that are not constant are not reported either.",
	Run: runUnknownWrkField,
}

// wrkFields are the fields of the wrk table: wrk.lua's and script.c's
// (wrk 4.x) and wrkrun's shard fields. wrk2's time_us is not one: wrk 4
// and wrkrun do not have it.
var wrkFields = map[string]bool{
	"scheme": true, "host": true, "port": true, "method": true, "path": true, "headers": true, "body": true,
	"thread": true, "format": true, "lookup": true, "connect": true,
	"resolve": true, "setup": true, "init": true, "request": true, "addrs": true,
	"shard": true, "shards": true,
}

// --- WL801 ---

// nearHook returns the hook name is a misspelling of, or "".
func nearHook(name string) string {
	if name == "" || analyzer.IsHookName(name) {
		return ""
	}
	for _, r := range name {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			// request2, _request, set_up: more often a hook switched off
			// on purpose, or a helper, than a typo.
			return ""
		}
	}
	lower := strings.ToLower(name)
	for _, h := range analyzer.HookNames() {
		if lower == h {
			return h // another case
		}
		if len(name) < len(h)-1 {
			continue
		}
		limit := 2
		if len(h) <= 4 {
			// init, done: two edits reach exit and node, so one edit,
			// keeping the first letter (not "one" for done).
			if lower[0] != h[0] {
				continue
			}
			limit = 1
		}
		if editDistance(lower, h, limit) <= limit {
			return h
		}
	}
	return ""
}

func runMisspelledHook(pass *analyzer.Pass) error {
	x := newScriptIndex(pass)
	for _, u := range x.idents {
		if !u.write {
			continue
		}
		if _, isFunc := u.value.(*ast.FunctionExpr); !isFunc {
			continue
		}
		name := x.globalName(u.id)
		if name == "" {
			continue
		}
		hook := nearHook(name)
		// Any other use of the name (a call, an alias, a second
		// definition), or the name in a string (_G["Init"], a callback
		// table), means the script uses the function itself. Suspects
		// are rare: they are counted and looked up only then.
		if hook == "" || x.nameUses(name) > 1 || x.hasString(name) {
			continue
		}
		if len(pass.Hook(hook)) > 0 {
			continue // the script has the hook itself: this is something else
		}
		pass.Reportf(u.id, "%s() is never called: wrk calls a global function named %s(), not %s()", name, hook, name)
	}
	return nil
}

// nameUses counts the identifiers named name, locals and globals.
func (x *scriptIndex) nameUses(name string) int {
	n := 0
	for _, u := range x.idents {
		if u.id.Value == name {
			n++
		}
	}
	return n
}

// --- WL802 ---

func runLocalHook(pass *analyzer.Pass) error {
	x := newScriptIndex(pass)
	type localHook struct {
		v    *analyzer.Var
		fn   *ast.FunctionExpr
		node any // what to report
	}
	var hooks []localHook
	// The walk below finds a subset of what the index saw: skipped when
	// the index saw no local function with a hook's name.
	if x.localHookFunc {
		walkLocalFuncs(pass, pass.File.Chunk, func(s *ast.LocalAssignStmt, v *analyzer.Var, fn *ast.FunctionExpr) {
			if analyzer.IsHookName(v.Name) {
				hooks = append(hooks, localHook{v: v, fn: fn, node: fn})
			}
		})
	}
	// local request; request = function() ... end
	for _, u := range x.idents {
		fn, ok := u.value.(*ast.FunctionExpr)
		if !u.write || !ok || !analyzer.IsHookName(u.id.Value) {
			continue
		}
		if v := pass.IdentVar(u.id); v != nil && !v.Global {
			hooks = append(hooks, localHook{v: v, fn: fn, node: u.id})
		}
	}
	if len(hooks) == 0 {
		return nil
	}
	// Hooks made global by name: an assignment to the global, or a store
	// into _G (rawset included).
	global := map[string]bool{}
	for _, u := range x.idents {
		if u.write && x.globalName(u.id) != "" {
			global[u.id.Value] = true
		}
	}
	for _, st := range pass.Stores() {
		if st.Object.HasLib("_G") {
			for _, k := range constStrings(st.Key) {
				global[k] = true
			}
		}
	}
	for _, c := range pass.CallsTo("rawset") {
		if c.Arg(0).HasLib("_G") {
			for _, k := range constStrings(c.Arg(1)) {
				global[k] = true
			}
		}
	}
	reported := map[*analyzer.Var]bool{}
	for _, h := range hooks {
		if global[h.v.Name] || reported[h.v] || x.usedOutside(h.v, h.fn) {
			continue
		}
		reported[h.v] = true
		start, end := pass.Offsets(h.node)
		if h.node == any(h.fn) {
			// Only the header, "function request(", not the whole body.
			if i := bytes.IndexByte(pass.File.Src[start:end], '('); i >= 0 {
				end = start + i
			}
		}
		pass.ReportRangef(start, end, "%s() is local: wrk only calls the global %s(), so it never calls this one", h.v.Name, h.v.Name)
	}
	return nil
}

// constStrings returns the constant strings of a set, or nil.
func constStrings(s *analyzer.ValueSet) []string {
	if s == nil {
		return nil
	}
	out, _ := s.ConstStrings()
	return out
}

// usedOutside reports whether the local v is read anywhere but inside
// fn (the function it holds, which may call itself).
func (x *scriptIndex) usedOutside(v *analyzer.Var, fn *ast.FunctionExpr) bool {
	if x.readsOf == nil {
		x.readsOf = map[*analyzer.Var][]identUse{}
		for _, u := range x.idents {
			if !u.write {
				if w := x.pass.IdentVar(u.id); w != nil {
					x.readsOf[w] = append(x.readsOf[w], u)
				}
			}
		}
	}
	num := x.funcNum(fn)
	for _, u := range x.readsOf[v] {
		inside := false
		for f := u.fn; f >= 0 && num >= 0; f = x.parent[f] {
			if f == num {
				inside = true
				break
			}
		}
		if !inside {
			return true
		}
	}
	return false
}

// walkLocalFuncs calls visit for every "local f = function" and "local
// function f", at any depth.
func walkLocalFuncs(pass *analyzer.Pass, stmts []ast.Stmt, visit func(*ast.LocalAssignStmt, *analyzer.Var, *ast.FunctionExpr)) {
	var walkExpr func(e ast.Expr)
	var walk func(stmts []ast.Stmt)
	walk = func(stmts []ast.Stmt) {
		for _, s := range stmts {
			switch s := s.(type) {
			case *ast.LocalAssignStmt:
				vars := pass.LocalVars(s)
				for i, e := range s.Exprs {
					if fn, ok := e.(*ast.FunctionExpr); ok && i < len(vars) && i < len(s.Names) {
						visit(s, vars[i], fn)
					}
					walkExpr(e)
				}
			case *ast.AssignStmt:
				for _, e := range s.Rhs {
					walkExpr(e)
				}
				for _, e := range s.Lhs {
					walkExpr(e)
				}
			case *ast.FuncCallStmt:
				walkExpr(s.Expr)
			case *ast.DoBlockStmt:
				walk(s.Stmts)
			case *ast.WhileStmt:
				walk(s.Stmts)
			case *ast.RepeatStmt:
				walk(s.Stmts)
			case *ast.IfStmt:
				walk(s.Then)
				walk(s.Else)
			case *ast.NumberForStmt:
				walk(s.Stmts)
			case *ast.GenericForStmt:
				walk(s.Stmts)
			case *ast.FuncDefStmt:
				walk(s.Func.Stmts)
			case *ast.ReturnStmt:
				for _, e := range s.Exprs {
					walkExpr(e)
				}
			}
		}
	}
	// Functions nested in expressions (callbacks, table fields) may
	// declare locals too.
	walkExpr = func(e ast.Expr) {
		switch e := e.(type) {
		case *ast.FunctionExpr:
			walk(e.Stmts)
		case *ast.FuncCallExpr:
			for _, a := range e.Args {
				walkExpr(a)
			}
		case *ast.TableExpr:
			for _, f := range e.Fields {
				walkExpr(f.Value)
			}
		case *ast.LogicalOpExpr:
			walkExpr(e.Lhs)
			walkExpr(e.Rhs)
		}
	}
	walk(stmts)
}

// --- WL803 ---

// maxRelated bounds the related locations of one finding.
const maxRelated = 5

func runThreadStateInDone(pass *analyzer.Pass) error {
	if len(pass.Hook("done")) == 0 {
		return nil
	}
	x := newScriptIndex(pass)
	// The variables every Lua state has a copy of: globals, and the
	// locals of the main chunk (each state runs the chunk and gets its
	// own). stateVar returns the variable an identifier names if it is
	// one of those.
	stateVar := func(id *ast.IdentExpr) *analyzer.Var {
		v := pass.IdentVar(id)
		if v != nil && (v.Global || x.topLocals[v]) {
			return v
		}
		return nil
	}
	// The suspects: each variable done() reads (at its first read there),
	// unless it holds libraries or only functions. The verdict depends on
	// the variable only, and a script may read one thousands of times.
	type suspect struct {
		v      *analyzer.Var
		read   *ast.IdentExpr
		writes []write
	}
	var suspects []suspect
	judged := map[*analyzer.Var]int{} // suspects index + 1, or 0 when not one
	for _, u := range x.idents {
		if u.write || u.fn < 0 || x.reachOf(u.fn)&bitDone == 0 {
			continue
		}
		v := stateVar(u.id)
		if v == nil || (v.Global && analyzer.IsHookName(v.Name)) {
			continue
		}
		if _, ok := judged[v]; ok {
			continue
		}
		judged[v] = 0
		vals := v.Values()
		if vals.HasKind(analyzer.KLib) || onlyFunctions(vals) {
			continue // libraries, wrk, helper functions
		}
		suspects = append(suspects, suspect{v: v, read: u.id})
		judged[v] = len(suspects)
	}
	if len(suspects) == 0 {
		return nil
	}
	// Tables by identity, so that writes through an alias (local s =
	// stats; s.n = 1) count as writes to the variable's contents.
	// Nested tables belong to the variable too (local s =
	// stats.by_status; s[k] = 1), a few levels down. Only the suspects'
	// writes matter.
	owners := map[*analyzer.Table][]int{}
	visited := map[*analyzer.Table]bool{}
	for i, sus := range suspects {
		clear(visited)
		level := tablesOf(sus.v.Values())
		for depth := 0; depth < maxTableDepth && len(level) > 0; depth++ {
			var next []*analyzer.Table
			for _, t := range level {
				if visited[t] {
					continue
				}
				visited[t] = true
				owners[t] = append(owners[t], i)
				next = append(next, tablesOf(t.Contents())...)
			}
			level = next
		}
	}
	for _, u := range x.idents {
		if !u.write {
			continue
		}
		if v := stateVar(u.id); v != nil {
			if i := judged[v]; i > 0 {
				suspects[i-1].writes = append(suspects[i-1].writes, write{u.id, u.fn})
			}
		}
	}
	var hit []int
	contentWrite := func(obj ast.Expr, node any, fn int32) {
		hit = hit[:0]
		if id := rootIdent(obj); id != nil {
			if v := stateVar(id); v != nil && judged[v] > 0 {
				hit = append(hit, judged[v]-1)
			}
		}
		for _, val := range pass.Values(obj).Values() {
			if val.Kind == analyzer.KTable {
				for _, i := range owners[val.Table] {
					if !slices.Contains(hit, i) {
						hit = append(hit, i)
					}
				}
			}
		}
		for _, i := range hit {
			suspects[i].writes = append(suspects[i].writes, write{node, fn})
		}
	}
	for _, w := range x.fieldWrites {
		contentWrite(w.target.Object, w.target, w.fn)
	}
	// Only what adds contents: table.sort or table.remove in done() does
	// not make an empty table full.
	for _, lib := range []string{"table.insert", "rawset"} {
		for _, c := range pass.CallsTo(lib) {
			if a := c.ArgExpr(0); a != nil && c.Node != nil {
				if in := x.lookup(c.Node); in != nil {
					contentWrite(a, c.Node, in.fn)
				}
			}
		}
	}
	for _, sus := range suspects {
		v := sus.v
		var thread []write
		var where uint8
		mainWrite := false
		for _, w := range sus.writes {
			if w.fn < 0 {
				continue // the main chunk's initialisation: what done() sees
			}
			r := x.reachOf(w.fn)
			if r == 0 || r&bitMainState != 0 {
				// Written in the main state (setup, done, code the main
				// chunk runs), or somewhere we cannot place.
				mainWrite = true
				break
			}
			if r&bitThread != 0 {
				thread = append(thread, w)
				where |= r
			}
		}
		if mainWrite || len(thread) == 0 {
			continue
		}
		related := make([]analyzer.RelatedNode, 0, min(len(thread), maxRelated))
		for _, w := range thread[:min(len(thread), maxRelated)] {
			related = append(related, analyzer.RelatedNode{Node: w.node,
				Message: fmt.Sprintf("%s is written here, in a thread's Lua state (%s)", v.Name, hookList(x.reachOf(w.fn)&bitThread))})
		}
		pass.ReportRelatedf(sus.read, related,
			"done() reads %s, which only %s write%s, in the threads' Lua states: done() runs in the main state and sees its initial value; collect it with thread:get of the threads saved in setup()",
			v.Name, hookList(where&bitThread), pluralS(where&bitThread))
	}
	return nil
}

// write is an assignment to a variable or its contents, for WL803.
type write struct {
	node any
	fn   int32
}

// maxTableDepth bounds how deep WL803 follows tables nested in a
// variable's table.
const maxTableDepth = 4

// tablesOf returns the tables in a set.
func tablesOf(s *analyzer.ValueSet) []*analyzer.Table {
	var out []*analyzer.Table
	for _, v := range s.Values() {
		if v.Kind == analyzer.KTable && v.Table != nil {
			out = append(out, v.Table)
		}
	}
	return out
}

func pluralS(mask uint8) string {
	n := 0
	for _, h := range hookBits {
		if mask&h.bit != 0 {
			n++
		}
	}
	if n == 1 {
		return "s"
	}
	return ""
}

// onlyFunctions reports whether a set holds functions and nothing else.
func onlyFunctions(s *analyzer.ValueSet) bool {
	if s.Empty() {
		return false
	}
	for _, v := range s.Values() {
		if v.Kind != analyzer.KFunc && v.Kind != analyzer.KNil {
			return false
		}
	}
	return s.HasKind(analyzer.KFunc)
}

// --- WL804 ---

func runRequestWithoutResult(pass *analyzer.Pass) error {
	fns := pass.Hook("request")
	if len(fns) == 0 {
		return nil
	}
	for _, f := range fns {
		fn := f.Node
		for _, r := range returnsOf(fn) {
			if why := badRequestReturn(pass, r); why != "" {
				pass.Reportf(r, "request() %s: wrk needs the request to send as a string", why)
			}
		}
		if !terminates(pass, fn.Stmts) {
			start, end := pass.Offsets(fn)
			if i := bytes.IndexByte(pass.File.Src[start:end], ')'); i >= 0 {
				end = start + i + 1
			}
			pass.ReportRangef(start, end, "request() can reach its end (line %d) without a return: it then returns nil and wrk has no request to send", pass.EndLine(fn))
		}
	}
	return nil
}

// badRequestReturn says what is wrong with a return of request(), or "".
func badRequestReturn(pass *analyzer.Pass, r *ast.ReturnStmt) string {
	if len(r.Exprs) == 0 {
		return "returns nothing"
	}
	switch r.Exprs[0].(type) {
	case *ast.NilExpr:
		return "returns nil"
	case *ast.TrueExpr, *ast.FalseExpr:
		return "returns a boolean"
	case *ast.NumberExpr:
		return "returns a number"
	case *ast.TableExpr:
		return "returns a table"
	case *ast.FunctionExpr:
		return "returns a function"
	case *ast.FuncCallExpr, *ast.Comma3Expr:
		return "" // a call's result: taken to be a string
	}
	vals := pass.Values(r.Exprs[0])
	if vals.Empty() {
		return ""
	}
	for _, v := range vals.Values() {
		switch v.Kind {
		case analyzer.KNil, analyzer.KBool, analyzer.KTable, analyzer.KFunc:
		default:
			return ""
		}
	}
	return "returns " + pass.Text(r.Exprs[0]) + ", which is never a string"
}

// terminates reports whether every path through a block ends in a
// return, error(), os.exit() or a loop that never ends. It errs towards
// true: goto is taken to leave.
func terminates(pass *analyzer.Pass, stmts []ast.Stmt) bool {
	for _, s := range stmts {
		switch s := s.(type) {
		case *ast.ReturnStmt, *ast.GotoStmt:
			return true
		case *ast.FuncCallStmt:
			if c, ok := s.Expr.(*ast.FuncCallExpr); ok && c.Func != nil {
				callee := pass.Values(c.Func)
				if callee.HasLib("error") || callee.HasLib("os.exit") {
					return true
				}
				if callee.HasLib("assert") && len(c.Args) > 0 {
					if _, f := c.Args[0].(*ast.FalseExpr); f {
						return true
					}
					if _, n := c.Args[0].(*ast.NilExpr); n {
						return true
					}
				}
			}
		case *ast.DoBlockStmt:
			if terminates(pass, s.Stmts) {
				return true
			}
		case *ast.IfStmt:
			if terminates(pass, s.Then) && terminates(pass, s.Else) {
				return true
			}
		case *ast.WhileStmt:
			if _, forever := s.Condition.(*ast.TrueExpr); forever && !breaks(s.Stmts) {
				return true
			}
		case *ast.RepeatStmt:
			if _, never := s.Condition.(*ast.FalseExpr); never && !breaks(s.Stmts) {
				return true
			}
			if terminates(pass, s.Stmts) {
				return true
			}
		}
	}
	return false
}

// breaks reports whether a loop body breaks out of its loop (a break not
// inside a nested loop or function).
func breaks(stmts []ast.Stmt) bool {
	for _, s := range stmts {
		switch s := s.(type) {
		case *ast.BreakStmt:
			return true
		case *ast.DoBlockStmt:
			if breaks(s.Stmts) {
				return true
			}
		case *ast.IfStmt:
			if breaks(s.Then) || breaks(s.Else) {
				return true
			}
		case *ast.GotoStmt:
			return true
		}
	}
	return false
}

// --- WL805 ---

func runUnknownWrkField(pass *analyzer.Pass) error {
	x := newScriptIndex(pass)
	type use struct{ read, write, tested bool }
	uses := map[string]*use{}
	var found []attrUse
	var keys []string
	for i := range x.attrs {
		a := &x.attrs[i]
		if !pass.Values(a.obj).HasLib("wrk") {
			continue
		}
		key := x.attrKey(a)
		if key == "" || wrkFields[key] {
			continue
		}
		u := uses[key]
		if u == nil {
			u = &use{}
			uses[key] = u
		}
		if a.write {
			u.write = true
		} else {
			u.read = true
		}
		u.tested = u.tested || x.isTested(a.node)
		found = append(found, *a)
		keys = append(keys, key)
	}
	for i, a := range found {
		key := keys[i]
		near := nearWrkField(key)
		u := uses[key]
		// Unless the key is a near miss of a real field (wrk.methods or
		// "GET" is a typo with a default, not a feature test):
		if near == "" && u.tested {
			continue // feature detection: the script knows it may be nil
		}
		if near == "" && u.read && u.write {
			continue // the script keeps its own data in the wrk table
		}
		hint := ""
		if near != "" {
			hint = fmt.Sprintf(" (did you mean wrk.%s?)", near)
		}
		if a.write {
			pass.Reportf(a.node, "wrk has no field %q%s: setting it changes nothing wrk looks at", key, hint)
		} else {
			pass.Reportf(a.node, "wrk has no field %q%s: it reads as nil", key, hint)
		}
	}
	return nil
}

// nearWrkField returns the real field a key is one or two edits from, or
// "" (the closest; ties broken alphabetically).
func nearWrkField(key string) string {
	// Only data fields are suggested: "requests" is not a misspelt
	// request(), it is a setting wrk does not have.
	names := []string{"addrs", "body", "headers", "host", "method", "path", "port", "scheme", "shard", "shards", "thread"}
	best, bestD := "", 3
	lower := strings.ToLower(key)
	for _, f := range names {
		limit := 2
		if len(f) <= 4 {
			limit = 1
		}
		if d := editDistance(lower, f, limit); d <= limit && d < bestD {
			best, bestD = f, d
		}
	}
	return best
}
