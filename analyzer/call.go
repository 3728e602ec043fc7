package analyzer

import (
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/gopher-lua/ast"
)

// call evaluates a call expression and returns its results.
func (p *program) call(e *ast.FuncCallExpr) []*ValueSet {
	var callee *ValueSet
	var argExprs []ast.Expr
	var argVals []*ValueSet
	if n := len(e.Args); n > 0 || e.Func == nil {
		argVals = p.setList(n + 1)
	}
	if e.Func != nil {
		callee = p.eval(e.Func, RoleCallee, e)
		argExprs = e.Args
	} else {
		recv := p.eval(e.Receiver, RoleObject, e)
		callee = p.index(recv, p.literal(e, func() *ValueSet { return setOf(Value{Kind: KString, Str: e.Method}) }))
		// s:len(), s:sub(): on a value of unknown type, a method named like
		// a string function is that function (strings index the string
		// library); body:len() is then the sanitizer it looks like.
		if stringMethods[e.Method] && callee.HasKind(KUnknown) {
			callee = setOf(Value{Kind: KLib, Str: "string." + e.Method})
		}
		if recv.HasKind(KUnknown) {
			// A value of unknown type may be a string: body:log() calls
			// what the script added to the string library or to the
			// string metatable's __index.
			key := setOf(Value{Kind: KString, Str: e.Method})
			extra := p.readSet(p.overlaySet(p.libPath("string", e.Method)))
			more := p.libRead(p.libAny, "string")
			var repl *ValueSet
			if r := p.readSet(p.overlaySet("string")); !r.Empty() {
				repl = p.indexVia(r, recv, key, 0)
			}
			// A metatable set on the string library answers the names it
			// lacks (setmetatable(string, {__index = os}) makes
			// cmd:execute() os.execute): what it resolves is known.
			if !stringMethods[e.Method] && !p.libRead(p.libMeta, "string").Empty() {
				for _, v := range p.index(setOf(Value{Kind: KLib, Str: "string"}), key).Values() {
					if v.Kind != KUnknown && v.Kind != KNil {
						if repl == nil {
							repl = &ValueSet{}
						}
						repl.add(v)
					}
				}
			}
			if !extra.Empty() || !more.Empty() || !repl.Empty() {
				c := &ValueSet{}
				c.addAll(callee)
				c.addAll(extra)
				c.addAll(more)
				c.addAll(repl)
				callee = c
			}
		}
		argExprs = append([]ast.Expr{e.Receiver}, e.Args...)
		argVals = append(argVals, recv)
	}
	role := RoleArg
	if calleeFollowed(callee) {
		role = RoleBound
	}
	// pcall(f, ...) and xpcall(f, h, ...) call f: it is a callee.
	indirect := -1
	if callee.HasLib("pcall") && len(e.Args) > 0 {
		indirect = 0
	} else if callee.HasLib("xpcall") && len(e.Args) > 0 {
		indirect = 0
	}
	cbs := callbackArgs(callee)
	recv := 0 // Callbacks count the receiver of a method call
	if e.Func == nil {
		recv = 1
	}
	for i, a := range e.Args {
		r := role
		switch {
		case i == indirect:
			r = RoleCallee
		case cbs != nil && cbs[i+recv]:
			// A function a modelled builtin calls back is followed there.
			r = RoleBound
		}
		if i == len(e.Args)-1 {
			argVals = p.appendMulti(argVals, a, r, e)
		} else {
			argVals = append(argVals, p.eval(a, r, e))
		}
	}
	if len(p.ctrl) > 0 {
		p.ctrlCall(callee, argVals)
	}
	p.recordCall(e, callee, argExprs, argVals, e.Func == nil, false)
	p.lastCall = evaluatedCall{node: e, callee: callee, args: argVals}
	return p.callValues(e, callee, argVals, argExprs)
}

// callbackArgs returns the argument positions (receiver excluded) that
// the library functions in callee call back, when every callee is such a
// modelled library function.
func callbackArgs(callee *ValueSet) map[int]bool {
	var out map[int]bool
	for _, v := range callee.Values() {
		if v.Kind != KLib {
			return nil
		}
		cbs, ok := modelledCallbacks[v.Str]
		if !ok {
			return nil
		}
		if out == nil {
			out = map[int]bool{}
		}
		for _, i := range cbs {
			out[i] = true
		}
	}
	return out
}

// modelledCallbacks are the callback positions of the modelled library
// functions that have some, taken from the library table once: every call
// asks.
var modelledCallbacks = func() map[string][]int {
	m := map[string][]int{}
	for path, e := range library {
		if e.Effect == EffModel && len(e.Callbacks) > 0 {
			m[path] = e.Callbacks
		}
	}
	return m
}()

var stringMethods = map[string]bool{
	"byte": true, "char": true, "dump": true, "find": true, "format": true, "gmatch": true, "gsub": true,
	"len": true, "lower": true, "match": true, "rep": true, "reverse": true, "sub": true, "upper": true,
}

// calleeFollowed reports whether every possible callee is a script
// function (whose parameters the analysis follows) or pcall.
func calleeFollowed(callee *ValueSet) bool {
	if callee.Empty() {
		return false
	}
	for _, v := range callee.Values() {
		if v.Kind == KFunc || v.IsLib("pcall") || v.IsLib("xpcall") {
			continue
		}
		return false
	}
	return true
}

func (p *program) recordCall(e *ast.FuncCallExpr, callee *ValueSet, args []ast.Expr, vals []*ValueSet, method, indirect bool) {
	if e != nil {
		c := p.newCallSite()
		*c = CallSite{Expr: e, Node: e, Callee: callee, Args: args, ArgVals: vals, Method: method, Indirect: indirect}
		p.calls = append(p.calls, c)
	}
}

// callValues applies every possible callee to the arguments. e is the
// call the script wrote, or nil for a call made on its behalf.
func (p *program) callValues(e *ast.FuncCallExpr, callee *ValueSet, args []*ValueSet, argExprs []ast.Expr) []*ValueSet {
	// A callee may read any table passed to it (table.concat, unpack,
	// cjson.encode, taint of arguments).
	for _, a := range args {
		for _, v := range a.Values() {
			if v.Kind == KTable {
				p.readTable(v.Table)
			}
		}
	}
	// The work of a call grows with its callees times its arguments and
	// results: charge it, so that values that reach each other in every
	// combination (hostile input) end the analysis instead of the process.
	cost := 1
	for _, a := range args {
		cost += len(a.vals)
	}
	if !p.spend(cost * max(1, len(callee.vals))) {
		return []*ValueSet{p.anySet}
	}
	out := p.setList(1) // most calls have one result (more are copied out)
	merge := func(rs []*ValueSet) {
		for i, r := range rs {
			p.spend(len(r.vals))
			if i >= len(out) {
				out = append(out, p.newSet())
			}
			out[i].addAll(r)
		}
	}
	opaque := false
	for _, cv := range callee.Values() {
		switch cv.Kind {
		case KFunc:
			fn := cv.Func
			fn.called = true
			for i, prm := range fn.params {
				if i < len(args) {
					p.addTo(&prm.vals, args[i])
				} else {
					p.addVal(&prm.vals, Value{Kind: KNil})
				}
			}
			for i := len(fn.params); i < len(args); i++ {
				p.addTo(&fn.vararg, args[i])
			}
			p.evalBody(fn)
			if fn.retFirst <= p.passStart {
				fn.retFirst = p.seq
			}
			fn.retRead = p.seq
			if len(fn.returns) == 0 {
				merge([]*ValueSet{p.nilSet})
			} else {
				merge(fn.returns) // copied: the returns may still grow
			}
		case KLib:
			merge(p.builtin(e, cv.Str, args, argExprs))
		case KTable:
			// A table with a metatable is called through __call, with
			// itself first.
			h := p.metaHandlers(setOf(cv), "__call")
			if h.Empty() {
				opaque = true
				continue
			}
			var node ast.Expr
			if e != nil {
				node = e
			}
			merge(p.metaCall(node, h, append([]*ValueSet{setOf(cv)}, args...)))
		case KNil, KBool, KNumber, KString, KAddr, KLookup:
			// Calling these fails at run time.
		default:
			opaque = true
		}
	}
	if opaque || callee.Empty() {
		// Calling a value the analysis cannot resolve may call any function
		// passed to it, keep any table, and return anything it was given.
		taint := p.escapeArgs(e, "a function wrklint cannot resolve", "", args, argExprs)
		merge([]*ValueSet{withTaint(unknown(), taint...)})
	}
	if len(out) == 0 {
		out = []*ValueSet{p.anySet}
	}
	return out
}

// Escape is a flow of values into something the analysis does not model:
// the argument of a function it cannot resolve or does not model, a store
// into a table it cannot see or under a key it cannot compute, a metatable
// of a value it cannot see. Taint that goes there comes back out (in the
// results, in callbacks' parameters, in tables passed along); a capability
// that goes there is lost, which WL403 reports.
type Escape struct {
	// Node is where: the argument or value expression, or the statement.
	Node   any
	Values *ValueSet
	// Into says what the values flow into, for messages; Callee is the
	// library path of the function called, when there is one.
	Into, Callee string
}

// escapeArgs records the arguments of a call into something not modelled
// as escaping, opens them (functions may be called with anything, carrying
// the arguments' taint; tables may receive it) and returns the taint of
// all of them, which the results carry.
func (p *program) escapeArgs(e *ast.FuncCallExpr, into, callee string, args []*ValueSet, argExprs []ast.Expr) []Source {
	var taint []Source
	for _, a := range args {
		taint = append(taint, p.deepTaint(a)...)
	}
	for i, a := range args {
		if i == 0 && e != nil && e.Func == nil {
			// The receiver of a method call is the object whose method
			// runs (h:close(), sock:send(x)), not a value handed over.
			p.open(a, taint, 0)
			continue
		}
		var node any = p.curStmt
		switch {
		case i < len(argExprs) && argExprs[i] != nil:
			node = argExprs[i]
		case e != nil:
			node = e
		}
		p.lostTo(node, a, into, callee)
		p.open(a, taint, 0)
	}
	return taint
}

// maxOpened bounds the tables one open call walks.
const maxOpened = 64

// lost records an escape when the values may hold something to lose.
func (p *program) lost(node any, vals *ValueSet, into string) { p.lostTo(node, vals, into, "") }

func (p *program) lostTo(node any, vals *ValueSet, into, callee string) {
	if node == nil || vals.Empty() {
		return
	}
	for _, v := range vals.Values() {
		switch v.Kind {
		case KLib, KTable, KFunc:
			p.escapes = append(p.escapes, Escape{Node: node, Values: vals, Into: into, Callee: callee})
			return
		}
	}
}

// maxOpenDepth bounds how deep open follows tables of functions.
const maxOpenDepth = 4

// open gives what flows out of sight its worst case: functions may be
// called with unknown, tainted arguments; tables may have tainted data
// stored into them; functions stored in tables may be called too.
func (p *program) open(vals *ValueSet, taint []Source, depth int) {
	var seen []*Table
	p.openSeen(vals, taint, depth, &seen)
}

func (p *program) openSeen(vals *ValueSet, taint []Source, depth int, seen *[]*Table) {
	if depth > maxOpenDepth {
		return
	}
	for _, v := range vals.Values() {
		switch v.Kind {
		case KFunc:
			v.Func.opened = true
			arg := withTaint(unknown(), taint...)
			for _, prm := range v.Func.params {
				p.addTo(&prm.vals, arg)
			}
			p.addTo(&v.Func.vararg, arg)
		case KTable:
			t := v.Table
			if slices.Contains(*seen, t) || len(*seen) >= maxOpened {
				continue
			}
			*seen = append(*seen, t)
			for _, src := range taint {
				if t.any.addTaint(src) {
					p.modified(&t.any)
				}
			}
			if depth < maxOpenDepth {
				for _, k := range t.keys() {
					if t.fields[k].HasKind(KFunc) || t.fields[k].HasKind(KTable) {
						p.openSeen(t.fields[k], taint, depth+1, seen)
					}
				}
			}
		}
	}
}

func argOr(args []*ValueSet, i int) *ValueSet {
	if i < len(args) {
		return args[i]
	}
	return setOf(Value{Kind: KNil})
}

// argsTaint adds to s the taint of every argument, tables included: a
// function we do not model may return any of it.
func (p *program) argsTaint(s *ValueSet, args []*ValueSet) *ValueSet {
	for _, a := range args {
		for _, t := range p.deepTaint(a) {
			s.addTaint(t)
		}
	}
	return s
}

// callLine is the line of a call, for sources that a call creates.
func (p *program) callLine(e *ast.FuncCallExpr) int {
	if e == nil {
		return p.lineOf(p.curStmt)
	}
	return p.lineOf(e)
}

// builtin applies the library function at path, as the library table
// describes it: pure functions and data functions by their effect, the
// ones that move values (pcall, coroutines, callbacks, metatables) by a
// model of their own, and anything else as opaque.
func (p *program) builtin(e *ast.FuncCallExpr, path string, args []*ValueSet, argExprs []ast.Expr) []*ValueSet {
	entry := Library(path)
	if path == "setfenv" {
		// Modelled on top of the opaque call (which still reports what
		// escapes into it): the function's globals become the table's.
		p.setFenv(argOr(args, 0), argOr(args, 1))
	}
	switch entry.Effect {
	case EffClean:
		if path == "print" {
			p.printMeta(e, args)
		}
		switch path {
		case "rawequal":
			if t := p.testTaint(e, argOr(args, 0), argOr(args, 1)); t != nil {
				t.add(Value{Kind: KBool})
				return []*ValueSet{t}
			}
		case "string.len", "rawlen", "table.getn", "table.maxn":
			// Lengths, like #x: clean unless the data made the length.
			if srcs := p.lengthTaint(argOr(args, 0)); len(srcs) > 0 {
				return []*ValueSet{withTaint(setOf(Value{Kind: KNumber}, unknownSet), srcs...)}
			}
		}
		return []*ValueSet{p.numberSet}
	case EffData:
		if strings.HasPrefix(path, "module:") {
			// A module's code is out of sight even when it computes only
			// data: a capability passed to it is lost.
			for i, a := range args {
				var node any = p.curStmt
				switch {
				case i < len(argExprs) && argExprs[i] != nil:
					node = argExprs[i]
				case e != nil:
					node = e
				}
				p.lostTo(node, a, "the module function "+strings.TrimPrefix(path, "module:"), path)
			}
		}
		return p.dataResult(e, path, entry, args)
	case EffModel:
		if rs, ok := p.modelled(e, path, args, argExprs); ok {
			return rs
		}
	}
	// Objects made by a module's functions (socket.tcp(), http clients)
	// keep the module's identity, so their methods are recognised.
	if strings.HasPrefix(path, "module:") {
		taint := p.escapeArgs(e, "the module function "+strings.TrimPrefix(path, "module:"), path, args, argExprs)
		return []*ValueSet{withTaint(setOf(Value{Kind: KLib, Str: path + "()"}, unknownSet), taint...)}
	}
	// A library function we do not model may call what it is given, and
	// its results may hold any of its arguments.
	taint := p.escapeArgs(e, "the library function "+path, path, args, argExprs)
	return []*ValueSet{withTaint(unknown(), taint...)}
}

// printMeta models print calling tostring on its arguments: a table's
// __tostring runs, and what it returns is printed.
func (p *program) printMeta(e *ast.FuncCallExpr, args []*ValueSet) {
	for _, a := range args {
		if !mayHaveMeta(a, "__tostring") {
			continue
		}
		h := p.metaHandlers(a, "__tostring")
		if h.Empty() {
			continue
		}
		rs := p.metaCall(nil, h, []*ValueSet{a})
		if e != nil {
			p.recordAt(e, setOf(Value{Kind: KLib, Str: "print"}), []*ValueSet{rs[0]})
		}
	}
}

// dataResult is the result of a function that computes from its
// arguments: folded when they are constants, otherwise unknown with their
// taint (and the function's own source of taint).
func (p *program) dataResult(e *ast.FuncCallExpr, path string, entry LibEntry, args []*ValueSet) []*ValueSet {
	if strings.HasPrefix(path, "string.") || path == "table.concat" {
		if p.foldBudget > 0 {
			folded := args
			if path == "string.format" {
				// string.format("%s://%s/", wrk.scheme, host): a URL.
				copied := false
				for i, a := range args {
					if s := schemeStrings(a); s != a {
						if !copied {
							folded, copied = slices.Clone(args), true
						}
						folded[i] = s
					}
				}
			}
			if v, ok := foldStringCall(path, folded); ok {
				n := 0
				for _, s := range v.Values() {
					n += len(s.Str)
				}
				if p.spendFold(n, maxConstants*maxFoldLen) {
					p.argsTaint(v, args)
					p.pieceTaint(e, path, v, args)
					return []*ValueSet{p.secretTaint(e, v)}
				}
			}
		}
	}
	var out *ValueSet
	switch {
	case strings.HasPrefix(path, "math.") || strings.HasPrefix(path, "bit."):
		out = setOf(Value{Kind: KNumber}, unknownSet)
	case path == "string.format":
		// What did not fold keeps the format's literal text around its
		// directives: string.format("fail_%d", n) starts with "fail_".
		out = formatShapes(argOr(args, 0))
	case path == "string.gsub":
		// ("~/.netrc"):gsub("^~", home) ends with "/.netrc".
		out = gsubShapes(args)
	default:
		out = unknown()
	}
	p.argsTaint(out, args)
	p.pieceTaint(e, path, out, args)
	if path == "string.format" {
		// %s calls tostring, and so __tostring.
		for _, a := range args {
			if mayHaveMeta(a, "__tostring") {
				if h := p.metaHandlers(a, "__tostring"); !h.Empty() {
					out.addTaintOf(p.metaCall(nil, h, []*ValueSet{a})[0])
				}
			}
		}
	}
	if entry.Source != 0 {
		out.addTaint(Source{Kind: entry.Source, Line: p.callLine(e)})
	}
	switch path {
	case "io.lines", "io.read":
		if src, ok := p.secretFile(e, argOr(args, 0)); ok && path == "io.lines" {
			out.addTaint(src)
		}
		// What io.input pointed the default input at.
		out.addTaintOf(p.readSet(&p.inputTaint))
	}
	if path == "string.byte" && len(args) > 2 {
		// s:byte(i, j) returns one byte per position, any number of them.
		rs := make([]*ValueSet, maxVarargs)
		for i := range rs {
			rs[i] = out
		}
		return rs
	}
	return []*ValueSet{out}
}

// secretTaint marks folded constants that hold credentials as secrets: a
// credential the script decodes from constants is as hard-coded as a
// literal.
func (p *program) secretTaint(e *ast.FuncCallExpr, s *ValueSet) *ValueSet {
	for _, v := range s.Values() {
		if v.Kind != KString {
			continue
		}
		if what := p.credential(v.Str); what != "" {
			s.addTaint(Source{Kind: TaintSecret, Line: p.callLine(e), Detail: what})
			break
		}
	}
	return s
}

// modelled applies the models of the library functions that move values
// or produce sensitive data; ok is false when path has none (it is then
// opaque).
func (p *program) modelled(e *ast.FuncCallExpr, path string, args []*ValueSet, argExprs []ast.Expr) ([]*ValueSet, bool) {
	switch path {
	case "os.getenv":
		src := Source{Kind: TaintEnv, Line: p.callLine(e)}
		if name, ok := argOr(args, 0).ConstString(); ok {
			src.Detail = strconv.Quote(name)
		}
		return []*ValueSet{withTaint(setOf(unknownSet, Value{Kind: KNil}), src)}, true
	case "wrk.thread.set":
		// thread:set(name, v) sets the global name in the thread's Lua
		// state, where the hooks read it.
		if len(args) >= 3 {
			p.addTo(&p.threadStore, args[2])
			if name, ok := args[1].ConstString(); ok {
				g := p.global(name)
				p.addTo(&g.vals, args[2])
				p.hookCalls(name, args[2])
			} else {
				p.addTo(&p.threadAnyStore, args[2])
			}
		}
		return nil, true
	case "wrk.thread.get":
		// thread:get(name) reads the global name of the thread's state:
		// what thread:set stored, or what the hooks assigned there.
		out := unknown()
		names, all := argOr(args, 1).ConstStrings()
		if !all {
			out.addAll(p.readSet(&p.threadStore))
		} else {
			out.addAll(p.readSet(&p.threadAnyStore))
		}
		for _, n := range names {
			out.addAll(p.readSet(&p.global(n).vals))
		}
		return []*ValueSet{out}, true
	case "pcall", "xpcall":
		return p.protectedCall(e, path, args, argExprs), true
	case "error":
		// The error value reaches whatever catches it: pcall's results,
		// xpcall's handler, coroutine.resume's results.
		p.addTo(&p.errVals, argOr(args, 0))
		return nil, true
	case "assert":
		// assert(v, msg) returns its arguments: assert(io.open(p, "a")); a
		// failing one raises msg.
		if len(args) == 0 {
			return []*ValueSet{p.anySet}, true
		}
		if len(args) >= 2 {
			p.addTo(&p.errVals, args[1])
		}
		// Whether it raises is what its test revealed (implicit.go).
		if t := p.condTaint(nil, args[0]); len(t) > 0 {
			p.addTaint(&p.errVals, withTaint(&ValueSet{}, t...))
		}
		return args, true
	case "require":
		return p.require(e, args), true
	case "rawget":
		return []*ValueSet{p.index(argOr(args, 0), argOr(args, 1))}, true
	case "rawset":
		var at ast.Expr
		if e != nil {
			at = e
		}
		p.storeAt(argOr(args, 0), argOr(args, 1), argOr(args, 2), nil, nil, at, true)
		return []*ValueSet{argOr(args, 0)}, true
	case "setmetatable":
		p.setMetatable(argOr(args, 0), argOr(args, 1), argExprs)
		p.finalizer(e, argOr(args, 0))
		return []*ValueSet{argOr(args, 0)}, true
	case "getmetatable":
		return []*ValueSet{p.getMetatable(argOr(args, 0))}, true
	case "newproxy":
		u := p.newProxy(e, argOr(args, 0))
		p.finalizer(e, u)
		return []*ValueSet{u}, true
	case "getfenv":
		return []*ValueSet{setOf(Value{Kind: KLib, Str: "_G"})}, true
	case "debug.getregistry":
		return []*ValueSet{setOf(Value{Kind: KLib, Str: debugRegistry})}, true
	case "select":
		return p.selectResults(args, argExprs), true
	case "unpack", "table.unpack":
		var from *ValueSet
		if len(args) > 1 {
			from = args[1]
		}
		rs := p.unpack(argOr(args, 0), from)
		if len(args) > 2 && (len(args[1].Taint()) > 0 || len(args[2].Taint()) > 0) {
			// unpack(t, 1, n): how many values come out is n's data
			// (select("#", ...) counts them).
			for i, r := range rs {
				c := &ValueSet{}
				c.addAll(r)
				addPart(c, args[1].Taint(), anySource, PartLength, 0)
				addPart(c, args[2].Taint(), anySource, PartLength, 0)
				rs[i] = c
			}
		}
		return rs, true
	case "table.remove", "next":
		out := &ValueSet{}
		keys := &ValueSet{}
		for _, tv := range argOr(args, 0).Values() {
			out.addAll(p.elements(tv))
			if tv.Kind == KTable {
				keys.addAll(p.readSet(&tv.Table.keyVals))
			}
		}
		if path == "next" {
			keys.add(unknownSet)
			return []*ValueSet{keys, out}, true
		}
		return []*ValueSet{out}, true
	case "pairs", "ipairs":
		// The iterator, the table and the first key: next(t) is what the
		// iterator computes.
		return []*ValueSet{setOf(Value{Kind: KLib, Str: "next"}), argOr(args, 0), setOf(Value{Kind: KNil}, Value{Kind: KNumber})}, true
	case "table.insert":
		if len(args) >= 2 {
			v := args[len(args)-1]
			for _, tv := range args[0].Values() {
				if tv.Kind == KTable {
					if !tv.Table.mutated {
						tv.Table.mutated = true
						p.modified(&tv.Table.any)
					}
					p.addTo(&tv.Table.any, v)
				}
			}
			p.lostIn(args[0], v, e, "a table wrklint cannot resolve")
		}
		return nil, true
	case "table.sort":
		// The comparator is called with pairs of elements.
		if len(args) >= 2 {
			el := p.allElements(args[0])
			rs := p.callback(e, args[1], []*ValueSet{el, el})
			// The order is what the comparator revealed (implicit.go):
			// sorting positions by a secret's bytes prints its order.
			if order := p.statusOf(rs[0]); order != p.boolSet {
				for _, tv := range args[0].Values() {
					if tv.Kind == KTable {
						p.addTaint(&tv.Table.any, order)
					}
				}
			}
		}
		return nil, true
	case "table.foreach", "table.foreachi":
		if len(args) < 2 {
			return nil, true
		}
		keys, elems := p.keysElems(args[0])
		if path == "table.foreachi" {
			keys = p.numberSet
		}
		rs := p.callback(e, args[1], []*ValueSet{keys, elems})
		return rs[:1], true
	case "string.gsub":
		rs := p.gsub(e, args)
		return append(rs[:1:1], p.gsubCount(e, args)), true
	case "tostring":
		a := argOr(args, 0)
		out := &ValueSet{}
		out.addTaintOf(a)
		if mayHaveMeta(a, "__tostring") {
			if h := p.metaHandlers(a, "__tostring"); !h.Empty() {
				out.addAll(p.metaCall(e, h, []*ValueSet{a})[0])
			}
		}
		if strs, all := a.ConstStrings(); all {
			for _, s := range strs {
				out.add(Value{Kind: KString, Str: s})
			}
			return []*ValueSet{out}, true
		}
		out.add(unknownSet)
		return []*ValueSet{out}, true
	case "tonumber":
		out := setOf(Value{Kind: KNumber}, Value{Kind: KNil})
		// tonumber(x, 16) is as reversible as x: only base 10 (the
		// default) reduces a string to a number a reviewer treats as
		// data of its own.
		if len(args) >= 2 {
			if b, ok := args[1].ConstString(); !ok || b != "10" {
				out.addTaintOf(args[0])
			}
		}
		// A byte, a size or a tested piece is a number already, and a
		// hard-coded secret made of digits is all there in its number:
		// converting them keeps what they reveal.
		for _, t := range argOr(args, 0).Taint() {
			if t.Part != PartWhole || t.Kind == TaintSecret {
				out.addTaint(t)
			}
		}
		return []*ValueSet{out}, true
	case "wrk.lookup":
		host := argOr(args, 0)
		trusted := !host.Empty()
		for _, v := range host.Values() {
			if !v.IsLib("wrk.host") {
				trusted = false
			}
		}
		return []*ValueSet{setOf(Value{Kind: KLookup, Trusted: trusted})}, true
	case "io.open":
		h := setOf(Value{Kind: KLib, Str: "io.file"}, Value{Kind: KNil})
		if src, ok := p.secretFile(e, argOr(args, 0)); ok {
			// What is read through the handle carries its taint.
			h.addTaint(src)
		}
		return []*ValueSet{h, p.anySet}, true
	case "io.popen":
		return []*ValueSet{setOf(Value{Kind: KLib, Str: "io.pfile"}, Value{Kind: KNil}), p.anySet}, true
	case "io.output", "io.input":
		if src, ok := p.secretFile(e, argOr(args, 0)); ok && path == "io.input" {
			// io.read and io.lines() then read it.
			p.addTaint(&p.inputTaint, withTaint(&ValueSet{}, src))
		}
		return []*ValueSet{setOf(Value{Kind: KLib, Str: "io.file"})}, true
	case "coroutine.create":
		// A coroutine is followed as the function it runs.
		return []*ValueSet{argOr(args, 0)}, true
	case "coroutine.wrap":
		out := &ValueSet{}
		out.addAll(argOr(args, 0))
		out.add(Value{Kind: KLib, Str: wrappedCoroutine})
		return []*ValueSet{out}, true
	case "coroutine.resume":
		co := argOr(args, 0)
		var rest []*ValueSet
		var restExprs []ast.Expr
		if len(args) > 1 {
			rest = args[1:]
		}
		if len(argExprs) > 1 {
			restExprs = argExprs[1:]
		}
		if e != nil {
			p.recordAt(e, co, rest)
		}
		for _, a := range rest {
			p.addTo(&p.resumes, a)
		}
		rs := p.callValues(e, co, rest, restExprs)
		return p.coroutineResults(rs, true), true
	case "math.randomseed":
		p.addTaint(&p.rngSeed, argOr(args, 0))
		return nil, true
	case "math.random":
		// Drawn from a generator seeded with data, the number is that
		// data's image: seeding with a secret byte and printing a draw
		// gives the byte away.
		out := setOf(Value{Kind: KNumber}, unknownSet)
		p.argsTaint(out, args)
		return []*ValueSet{withTaint(out, p.readSet(&p.rngSeed).Taint()...)}, true
	case "coroutine.status":
		// "dead" once the body raised: what a tested branch raised; and
		// "suspended" or not after a yield in a tested branch.
		st := setOf(Value{Kind: KString, Str: "suspended"}, Value{Kind: KString, Str: "dead"})
		withTaint(st, p.statusOf(p.readSet(&p.errVals)).Taint()...)
		return []*ValueSet{withTaint(st, p.readSet(&p.yieldCtrl).Taint()...)}, true
	case wrappedCoroutine:
		for _, a := range args {
			p.addTo(&p.resumes, a)
		}
		return p.coroutineResults(nil, false), true
	case "coroutine.yield":
		for _, a := range args {
			p.addTo(&p.yields, a)
		}
		if len(p.ctrl) > 0 {
			p.addTo(&p.yieldCtrl, p.withCtrl(p.nilSet))
		}
		r := p.readSet(&p.resumes)
		return []*ValueSet{r, r}, true
	}
	return nil, false
}

// coroutineResults are what resuming a coroutine returns: whatever it
// yields, returns (rs) or raises, after a boolean for coroutine.resume.
func (p *program) coroutineResults(rs []*ValueSet, status bool) []*ValueSet {
	first := &ValueSet{}
	first.addAll(p.readSet(&p.yields))
	first.addAll(p.readSet(&p.errVals))
	if len(rs) > 0 {
		first.addAll(rs[0])
	}
	out := []*ValueSet{first, first}
	for i := 1; i < len(rs); i++ {
		out = append(out, rs[i])
	}
	if status {
		// As pcall's: an error raised in a tested branch makes it data.
		out = append([]*ValueSet{p.statusOf(p.readSet(&p.errVals))}, out...)
	}
	return out
}

// protectedCall models pcall(f, ...) and xpcall(f, handler, ...): f is
// called with the arguments; the results are a boolean, then f's results
// or the error value (any value error or assert raised), which xpcall
// passes to its handler and replaces by the handler's results.
func (p *program) protectedCall(e *ast.FuncCallExpr, path string, args []*ValueSet, argExprs []ast.Expr) []*ValueSet {
	if len(args) == 0 {
		return []*ValueSet{p.boolSet}
	}
	f := args[0]
	rest := args[1:]
	var restExprs []ast.Expr
	if len(argExprs) > 1 {
		restExprs = argExprs[1:]
	}
	var handler *ValueSet
	if path == "xpcall" {
		if len(rest) > 0 {
			handler = rest[0]
			rest = rest[1:]
		}
		if len(restExprs) > 0 {
			restExprs = restExprs[1:]
		}
	}
	p.recordCall(e, f, restExprs, rest, false, true)
	rs := p.callValues(e, f, rest, restExprs)
	errs := p.readSet(&p.errVals)
	out := make([]*ValueSet, 0, len(rs)+1)
	// An error raised in a tested branch makes the status what the test
	// revealed (implicit.go).
	out = append(out, p.statusOf(errs))
	for i, r := range rs {
		s := &ValueSet{}
		s.addAll(r)
		if i == 0 && handler == nil {
			s.addAll(errs)
		}
		out = append(out, s)
	}
	if handler != nil {
		if e != nil {
			p.recordAt(e, handler, []*ValueSet{errs})
		}
		hr := p.callValues(e, handler, []*ValueSet{errs}, nil)
		for i, r := range hr {
			if i+1 >= len(out) {
				out = append(out, &ValueSet{})
			}
			out[i+1].addAll(r)
		}
	}
	return out
}

// callback calls fns on behalf of a library function at e, recording the
// call so that a library function given as the callback (print,
// os.getenv) is seen by the rules.
func (p *program) callback(e *ast.FuncCallExpr, fns *ValueSet, args []*ValueSet) []*ValueSet {
	if fns.Empty() {
		return []*ValueSet{p.nilSet}
	}
	if e != nil {
		p.recordAt(e, fns, args)
	}
	return p.callValues(e, fns, args, nil)
}

// wholeMatch are gsub patterns whose capture is the whole subject.
var wholeMatch = map[string]bool{
	".+": true, "^.+$": true, "(.+)": true, "^(.+)$": true, ".*": true, "^.*$": true, "(.*)": true, "^(.*)$": true,
}

// gsub models string.gsub(s, pattern, repl): constant arguments fold; a
// function (script or library) replacement is called with the captures,
// a table replacement indexed with them, and what either returns is in
// the result, with the subject's taint.
func (p *program) gsub(e *ast.FuncCallExpr, args []*ValueSet) []*ValueSet {
	repl := argOr(args, 2)
	if !repl.HasKind(KFunc) && !repl.HasKind(KLib) && !repl.HasKind(KTable) {
		return p.dataResult(e, "string.gsub", LibEntry{Effect: EffData}, args)
	}
	subject := argOr(args, 0)
	srcs := p.deepTaint(subject)
	captures := withTaint(unknown(), srcs...)
	// gsub(s, ".", f) calls f with each character: pieces (implicit.go).
	addPart(captures, srcs, func(t Source) bool { return walksPieces(argOr(args, 1), t) }, PartPiece, 0)
	if pat, ok := argOr(args, 1).ConstString(); ok && wholeMatch[pat] {
		if _, all := subject.ConstStrings(); all {
			captures = subject
		}
	} else if pieces := constPieces(subject, argOr(args, 1)); pieces != nil {
		// The items of a list the script holds: ("a b"):gsub("%S+", f).
		captures = pieces
	}
	out := unknown()
	p.argsTaint(out, args[:min(len(args), 2)])
	fns := &ValueSet{}
	for _, v := range repl.Values() {
		switch v.Kind {
		case KFunc, KLib:
			if v.Kind == KLib && !isCallableLib(v.Str) {
				out.addAll(p.index(setOf(v), captures))
				continue
			}
			fns.add(v)
		case KTable:
			out.addAll(p.index(setOf(v), captures))
		}
	}
	if !fns.Empty() {
		rs := p.callback(e, fns, []*ValueSet{captures, captures})
		out.addAll(rs[0])
	}
	return []*ValueSet{out, p.numberSet}
}

// require models require(name): the module's value, what the script put
// into package.loaded[name], and what the loader it put into
// package.preload[name] returns.
func (p *program) require(e *ast.FuncCallExpr, args []*ValueSet) []*ValueSet {
	out := &ValueSet{}
	names, all := argOr(args, 0).ConstStrings()
	for _, n := range names {
		if fe := p.modules[n]; fe != nil {
			// A local module the program holds: its chunk runs with the
			// name as argument, and require returns what it returns
			// (true for nothing).
			rs := p.callback(e, p.function(fe).value(), []*ValueSet{setOf(Value{Kind: KString, Str: n})})
			out.addAll(rs[0])
			out.add(Value{Kind: KBool})
			out.addAll(p.readSet(p.overlaySet(moduleValue(n).Str)))
			continue
		}
		mv := moduleValue(n)
		out.add(mv)
		out.addAll(p.readSet(p.overlaySet(mv.Str)))
		out.addAll(p.libRead(p.libAny, "package.loaded"))
		loader := p.readSet(p.overlaySet(p.libPath("package.preload", n)))
		if !loader.Empty() {
			rs := p.callback(e, loader, []*ValueSet{setOf(Value{Kind: KString, Str: n})})
			out.addAll(rs[0])
		}
	}
	if !all {
		out.add(unknownSet)
	}
	return []*ValueSet{out}
}

// setMetatable records mt as a metatable of every table in t. A
// metatable given to a value the analysis cannot see is lost.
func (p *program) setMetatable(t, mt *ValueSet, argExprs []ast.Expr) {
	for _, tv := range t.Values() {
		switch tv.Kind {
		case KTable:
			for _, mv := range mt.Values() {
				if mv.Kind != KNil {
					p.addVal(&tv.Table.metas, mv)
				}
			}
			p.addTaint(&tv.Table.metas, mt)
		case KLib:
			// A library table's metatable answers for the members it does
			// not have (setmetatable(string, {__index = os}) makes
			// ("cmd"):execute() os.execute); setmetatable(_G, ...) is also
			// WL402's.
			p.addToLib(p.libMeta, tv.Str, mt)
			if strings.HasPrefix(tv.Str, "module:") {
				// A table of a module wrklint does not follow: its own
				// code may call what the metatable holds.
				var node any = p.curStmt
				if len(argExprs) > 1 {
					node = argExprs[1]
				}
				p.lost(node, mt, "the metatable of "+strings.TrimPrefix(tv.Str, "module:")+", a table of a module wrklint does not follow")
			}
		default:
			var node any = p.curStmt
			if len(argExprs) > 1 {
				node = argExprs[1]
			}
			p.lost(node, mt, "the metatable of a value wrklint cannot resolve")
		}
	}
}

// addTaint adds the taint of o to the location s.
func (p *program) addTaint(s, o *ValueSet) {
	if s.addTaintOf(o) {
		p.modified(s)
	}
}

// getMetatable is getmetatable(v): the metatables set on a table (or
// their __metatable field), the string metatable for strings.
func (p *program) getMetatable(v *ValueSet) *ValueSet {
	out := &ValueSet{}
	for _, x := range v.Values() {
		switch {
		case x.Kind == KTable:
			mts := p.readSet(&x.Table.metas)
			if mts.Empty() {
				out.add(Value{Kind: KNil})
				continue
			}
			out.addAll(mts)
			for _, mt := range mts.Values() {
				out.addAll(p.metaField(mt, "__metatable"))
			}
		case x.Kind == KString || x.IsLib("string"):
			out.add(Value{Kind: KLib, Str: stringMetatable})
		case x.IsLib("io.stdout") || x.IsLib("io.stderr") || x.IsLib("io.stdin") || x.IsLib("io.file") || x.IsLib("io.pfile"):
			out.add(Value{Kind: KLib, Str: handleMetatable})
		case x.Kind == KLib && !isCallableLib(x.Str):
			out.addAll(p.libRead(p.libMeta, x.Str))
			out.add(Value{Kind: KNil})
		case x.Kind == KNil, x.Kind == KBool, x.Kind == KNumber, x.Kind == KFunc:
			out.add(Value{Kind: KNil})
		default:
			out.add(unknownSet)
		}
	}
	if out.Empty() {
		out.add(unknownSet)
	}
	return out
}

// newProxy is newproxy(arg): a userdata, followed as a table of its own,
// with a fresh metatable for newproxy(true) or the metatable of another
// proxy.
func (p *program) newProxy(e *ast.FuncCallExpr, arg *ValueSet) *ValueSet {
	u := p.synthTable(e, 0)
	for _, v := range arg.Values() {
		switch v.Kind {
		case KBool, KUnknown:
			p.addVal(&u.metas, Value{Kind: KTable, Table: p.synthTable(e, 1)})
		case KTable:
			p.addTo(&u.metas, p.readSet(&v.Table.metas))
		}
	}
	return u.value()
}

// finalizer models the garbage collector calling obj's __gc handler (a
// newproxy's, or a table's through setmetatable in LuaJIT's 5.2 mode) with
// obj, at some later time outside any hook: as if it were called where the
// metatable is set. The handler may be stored after that point; the solver
// comes back here when the metatable changes.
func (p *program) finalizer(e *ast.FuncCallExpr, obj *ValueSet) {
	if !mayHaveMeta(obj, "__gc") {
		return
	}
	if h := p.metaHandlers(obj, "__gc"); !h.Empty() {
		var node ast.Expr
		if e != nil {
			node = e
		}
		p.metaCall(node, h, []*ValueSet{obj})
	}
}

// synthKey names a table the script makes without a constructor.
type synthKey struct {
	node ast.Expr
	slot int
}

// synthTable returns the table made at node (slot tells apart several made
// by one call); a nil node is the current statement's.
func (p *program) synthTable(node *ast.FuncCallExpr, slot int) *Table {
	var k synthKey
	if node != nil {
		k = synthKey{node: node, slot: slot}
	} else {
		k = synthKey{slot: slot + 2}
	}
	if t, ok := p.synth[k]; ok {
		return t
	}
	t := newTable(nil)
	p.synth[k] = t
	return t
}

// lostIn records vals stored into tables that may be ones the analysis
// cannot see.
func (p *program) lostIn(tables, vals *ValueSet, e *ast.FuncCallExpr, into string) {
	if tables.HasKind(KUnknown) {
		var node any = p.curStmt
		if e != nil {
			node = e
		}
		p.lost(node, vals, into)
	}
}

// allElements is the union of the elements of the tables in t.
func (p *program) allElements(t *ValueSet) *ValueSet {
	out := &ValueSet{}
	for _, tv := range t.Values() {
		if tv.Kind == KTable {
			p.readTable(tv.Table)
		}
		out.addAll(p.elements(tv))
	}
	out.addTaintOf(t)
	return out
}

// keysElems returns the keys and the elements of the tables in t.
func (p *program) keysElems(t *ValueSet) (*ValueSet, *ValueSet) {
	keys, elems := &ValueSet{}, p.allElements(t)
	for _, tv := range t.Values() {
		if tv.Kind != KTable {
			keys.add(unknownSet)
			continue
		}
		for _, k := range tv.Table.keys() {
			keys.add(keyValue(k))
		}
		keys.addAll(p.readSet(&tv.Table.keyVals))
	}
	return keys, elems
}

// keyValue is the value of a constant table key.
func keyValue(k string) Value {
	if n, err := strconv.ParseFloat(k, 64); err == nil {
		return Value{Kind: KNumber, Num: n}
	}
	return Value{Kind: KString, Str: k}
}

// stringMetatable is the path of the metatable strings share.
const stringMetatable = "string.<metatable>"

// selectResults models select(n, ...): select("#", ...) is a count, and
// select(n, a, b, c) with a constant n and arguments written out returns
// the arguments from n on. Otherwise (a vararg, whose values have no
// positions here, or a run-time n) any argument after n may be returned.
func (p *program) selectResults(args []*ValueSet, argExprs []ast.Expr) []*ValueSet {
	if len(args) == 0 {
		return []*ValueSet{p.anySet}
	}
	if s, ok := args[0].ConstString(); ok && s == "#" && args[0].HasKind(KString) {
		// A count, like #t: data only when the data made it.
		n := setOf(Value{Kind: KNumber}, unknownSet)
		for _, a := range args[1:] {
			withTaint(n, p.lengthTaint(a)...)
		}
		return []*ValueSet{n}
	}
	rest := args[1:]
	from := 0
	if n, ok := args[0].ConstString(); ok {
		if i, err := strconv.Atoi(n); err == nil && i >= 1 {
			from = i - 1
		}
	}
	exact := len(argExprs) == len(args) && len(argExprs) > 0 && !expands(argExprs[len(argExprs)-1])
	if exact && from > 0 {
		if from >= len(rest) {
			return []*ValueSet{p.nilSet}
		}
		return rest[from:]
	}
	out := &ValueSet{}
	for _, a := range rest[min(from, max(len(rest)-1, 0)):] {
		out.addAll(a)
	}
	out.add(Value{Kind: KNumber})
	// select(secret:byte(i), ...) picks by a piece: a lookup by it.
	addPart(out, args[0].Taint(), keyRevealing, PartChosen, p.lineOf(p.curStmt))
	return []*ValueSet{out}
}

// elements is the union of the values stored in a table-like value.
func (p *program) elements(v Value) *ValueSet {
	switch v.Kind {
	case KTable:
		return v.Table.allValues()
	case KLookup:
		return setOf(Value{Kind: KAddr, Trusted: v.Trusted})
	case KLib:
		switch v.Str {
		case "wrk.response.headers":
			return withTaint(unknown(), Source{Kind: TaintResponseHeader, Line: p.lineOf(p.curStmt), Detail: "(all headers, iterated)"})
		case "wrk.args":
			return withTaint(unknown(), Source{Kind: TaintArgs, Line: p.lineOf(p.curStmt)})
		}
		if m := p.libMembers(v.Str); m != nil {
			m.add(unknownSet)
			return m
		}
	}
	return p.anySet
}

// libMembers is the union of what the script stored into members of the
// library table path (wrk.headers.Authorization, under computed keys too),
// or nil when it stored nothing: iterating wrk.headers yields them.
func (p *program) libMembers(path string) *ValueSet {
	if p.iterated == nil {
		p.iterated = map[string]bool{}
	}
	p.iterated[path] = true
	prefix := path + "."
	var keys []string
	for k := range p.overlay {
		if strings.HasPrefix(k, prefix) && !strings.Contains(k[len(prefix):], ".") {
			keys = append(keys, k)
		}
	}
	stored := p.libRead(p.libAny, path)
	builtin := stdMembers[path]
	if len(keys) == 0 && stored.Empty() && len(builtin) == 0 {
		return nil
	}
	slices.Sort(keys) // map order would make the set's order vary
	out := &ValueSet{}
	for _, k := range keys {
		out.addAll(p.readSet(p.overlay[k]))
	}
	out.addAll(stored)
	// A standard library iterated hands out its own functions too:
	// for k, v in pairs(io) reaches io.popen without naming it.
	for _, m := range builtin {
		out.add(Value{Kind: KLib, Str: m})
	}
	return out
}

// setFenv models setfenv(f, env) for a function the script wrote (or
// level 1, the calling function): the globals it reads are looked up in
// env as well (setfenv(notify, os) makes execute os.execute inside
// notify). The real globals stay among the results, so this only adds.
func (p *program) setFenv(target, env *ValueSet) {
	if env.Empty() {
		return
	}
	for _, v := range target.Values() {
		var fn *Func
		switch {
		case v.Kind == KFunc:
			fn = v.Func
		case v.Kind == KNumber && v.Num == 1:
			fn = p.curFunc
		}
		if fn == nil {
			continue
		}
		if p.fenvs == nil {
			p.fenvs = map[*Func]*ValueSet{}
		}
		s, ok := p.fenvs[fn]
		if !ok {
			s = &ValueSet{}
			p.fenvs[fn] = s
		}
		if s.addAll(env) {
			p.changed = true
		}
	}
}

// fenvGlobal is what a global read inside the function being evaluated
// finds in the environment setfenv gave it, or nil.
func (p *program) fenvGlobal(name string) *ValueSet {
	if p.fenvs == nil || p.curFunc == nil {
		return nil
	}
	env, ok := p.fenvs[p.curFunc]
	if !ok {
		return nil
	}
	out := &ValueSet{}
	for _, e := range env.Values() {
		switch e.Kind {
		case KLib:
			// A library's own members (os: execute, remove, ...).
			path := e.Str + "." + name
			if _, known := library[path]; known {
				out.add(Value{Kind: KLib, Str: path})
			}
		case KTable:
			out.addAll(p.index(setOf(e), setOf(Value{Kind: KString, Str: name})))
		}
	}
	return out
}

// stdMembers lists, for each standard library that holds capabilities
// (os, io, debug, package, jit: iterating them is WL402 already), the
// paths of the members the library table knows (io: io.open, io.popen,
// ...), sorted. The pure libraries keep unknown elements: copying string's
// functions by iteration is common, and would otherwise name string.dump.
// Built once from library and never changed.
var stdMembers = func() map[string][]string {
	out := map[string][]string{}
	for path := range library {
		lib, name, ok := strings.Cut(path, ".")
		if !ok || strings.ContainsAny(name, ".:<(") || !libTables[lib] || lib == "wrk" || library[lib].Cap == CapNone {
			continue
		}
		out[lib] = append(out[lib], path)
	}
	for _, m := range out {
		slices.Sort(m)
	}
	return out
}()

// unpack models unpack(t, i): the fields from i on, in order, each with
// whatever is stored under keys that are not constant; with a start that
// is not a constant, any element in every position.
func (p *program) unpack(t, from *ValueSet) []*ValueSet {
	start := 1
	if from != nil && !from.Empty() && !from.Has(Value{Kind: KNil}) {
		start = 0
		if n, ok := from.ConstString(); ok {
			if i, err := strconv.Atoi(n); err == nil && i >= 1 {
				start = i
			}
		}
	}
	var out []*ValueSet
	for _, tv := range t.Values() {
		if tv.Kind != KTable {
			out = mergeInto(out, []*ValueSet{p.elements(tv)})
			continue
		}
		p.readTable(tv.Table)
		if start == 0 {
			all := tv.Table.allValues()
			out = mergeInto(out, []*ValueSet{all, all})
			continue
		}
		var rs []*ValueSet
		for i := start; ; i++ {
			fs, ok := tv.Table.fields[strconv.Itoa(i)]
			if !ok {
				break
			}
			if tv.Table.any.Empty() {
				rs = append(rs, fs)
				continue
			}
			pos := &ValueSet{}
			pos.addAll(fs)
			pos.addAll(&tv.Table.any)
			rs = append(rs, pos)
		}
		if !tv.Table.any.Empty() {
			rs = append(rs, &tv.Table.any)
		}
		out = mergeInto(out, rs)
	}
	if len(out) == 0 {
		out = []*ValueSet{p.anySet}
	}
	return out
}

func mergeInto(out, rs []*ValueSet) []*ValueSet {
	for i, r := range rs {
		if i >= len(out) {
			out = append(out, &ValueSet{})
		}
		out[i].addAll(r)
	}
	return out
}

// secretFile is the source of a file that holds secrets: a process's
// environment (/proc/self/environ, /proc/<pid>/environ: every variable,
// without os.getenv) or a credentials file (credentialFile).
func (p *program) secretFile(e *ast.FuncCallExpr, path *ValueSet) (Source, bool) {
	for _, v := range path.Values() {
		pre, suf := v.Str, v.Str
		switch v.Kind {
		case KShape:
			pre, suf = v.Shape() // "/proc/" .. pid .. "/environ", home .. "/.netrc"
		case KString:
		default:
			continue
		}
		if strings.HasPrefix(pre, "/proc/") && strings.HasSuffix(suf, "/environ") {
			return Source{Kind: TaintEnv, Line: p.callLine(e), Detail: "(all, read from /proc/.../environ)"}, true
		}
		if name := credentialFile(pre, suf); name != "" {
			return Source{Kind: TaintCredFile, Line: p.callLine(e), Detail: name}, true
		}
	}
	if p.homeFileUnknown(path) {
		return Source{Kind: TaintCredFile, Line: p.callLine(e), Detail: "(a file under $HOME whose name wrklint cannot tell)"}, true
	}
	return Source{}, false
}

// homeFileUnknown reports whether a path is built from the home directory
// ($HOME, %USERPROFILE%) and may end in anything: home .. "/" .. name,
// table.concat({home, ...}, "/"). The home directory is where
// credentials files live, so such a file may be any of them; a path whose
// end is known (home .. "/bench/payload.json") is not.
func (p *program) homeFileUnknown(path *ValueSet) bool {
	endUnknown := false
	for _, v := range path.Values() {
		switch v.Kind {
		case KUnknown:
			endUnknown = true
		case KShape:
			if _, suf := v.Shape(); suf == "" {
				endUnknown = true
			}
		}
	}
	if !endUnknown {
		return false
	}
	for _, t := range p.deepTaint(path) {
		if t.Kind == TaintEnv && (t.Detail == `"HOME"` || t.Detail == `"USERPROFILE"`) {
			return true
		}
	}
	return false
}

// credentialFile names the credentials file a path with the given known
// prefix and suffix (both the path when it is constant) is, or "".
func credentialFile(pre, suf string) string {
	for _, f := range []string{
		"/.aws/credentials", "/.netrc", "/.git-credentials", "/.pgpass", "/.docker/config.json",
		"/.kube/config", "/.npmrc", "/.pypirc", "/.my.cnf", "/etc/shadow",
		"/var/run/secrets/kubernetes.io/serviceaccount/token",
	} {
		if strings.HasSuffix(suf, f) || suf == f[1:] {
			return "~" + f
		}
	}
	base := suf
	if i := strings.LastIndexByte(suf, '/'); i >= 0 {
		base = suf[i+1:]
	}
	switch {
	case strings.Contains(suf, "/.ssh/id_") && !strings.HasSuffix(suf, ".pub"):
		return "(an SSH private key)"
	case base == ".env" || strings.HasPrefix(base, ".env.") && len(base) > len(".env."):
		return base
	case strings.HasPrefix(pre, "/run/secrets/"):
		return "(a mounted secret in /run/secrets)"
	}
	return ""
}

// addToMember stores vals into the library member path of the table base:
// a loop that iterated base earlier in the pass did not see a member
// made now, so the pass is repeated.
func (p *program) addToMember(base, path string, vals *ValueSet) {
	s := p.overlaySet(path)
	if s.addAll(vals) {
		p.modified(s)
		if p.iterated[base] {
			p.changed = true
		}
	}
}
