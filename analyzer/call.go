package analyzer

import (
	"fmt"
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
		argVals = make([]*ValueSet, 0, n+1)
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
	for i, a := range e.Args {
		r := role
		if i == indirect {
			r = RoleCallee
		}
		if i == len(e.Args)-1 {
			argVals = p.appendMulti(argVals, a, r, e)
		} else {
			argVals = append(argVals, p.eval(a, r, e))
		}
	}
	p.recordCall(e, callee, argExprs, argVals, e.Func == nil, false)
	p.lastCall = evaluatedCall{node: e, callee: callee, args: argVals}
	return p.callValues(e, callee, argVals, argExprs)
}

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
		p.calls = append(p.calls, &CallSite{Node: e, Callee: callee, Args: args, ArgVals: vals, Method: method, Indirect: indirect})
	}
}

// callValues applies every possible callee to the arguments.
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
	var out []*ValueSet
	merge := func(rs []*ValueSet) {
		for i, r := range rs {
			if i >= len(out) {
				out = append(out, &ValueSet{})
			}
			out[i].addAll(r)
		}
	}
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
		default:
			// Calling an unknown value may call any function passed to it,
			// and may return anything it was given.
			for _, a := range args {
				p.escape(a)
			}
			merge([]*ValueSet{p.argsTaint(unknown(), args)})
		}
	}
	if len(out) == 0 {
		out = []*ValueSet{p.anySet}
	}
	return out
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
		return 1
	}
	return p.lineOf(e)
}

// builtin models the library functions whose results matter to the rules:
// the ones that fold constants, return library values, call functions, or
// produce sensitive data.
func (p *program) builtin(e *ast.FuncCallExpr, path string, args []*ValueSet, argExprs []ast.Expr) []*ValueSet {
	if cleanFunctions[path] || strings.HasPrefix(path, "math.") {
		for _, a := range args {
			p.escape(a)
		}
		return []*ValueSet{p.numberSet}
	}
	switch path {
	case "os.getenv":
		src := Source{Kind: TaintEnv, Line: p.callLine(e)}
		if name, ok := argOr(args, 0).ConstString(); ok {
			src.Detail = strconv.Quote(name)
		}
		return []*ValueSet{withTaint(setOf(unknownSet, Value{Kind: KNil}), src)}
	case "io.read", "io.lines", "io.file:read", "io.file:lines", "io.pfile:read", "io.pfile:lines", "io.stdin:read", "io.stdin:lines":
		return []*ValueSet{withTaint(unknown(), Source{Kind: TaintFile, Line: p.callLine(e)})}
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
		return nil
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
		return []*ValueSet{out}
	}
	switch path {
	case "pcall", "xpcall":
		if len(args) == 0 {
			return []*ValueSet{p.boolSet}
		}
		rest := args[1:]
		var restExprs []ast.Expr
		if len(argExprs) > 1 {
			restExprs = argExprs[1:]
		}
		if path == "xpcall" {
			if len(rest) > 0 {
				p.callValues(nil, rest[0], []*ValueSet{unknown()}, nil)
				rest = rest[1:]
			}
			if len(restExprs) > 0 {
				restExprs = restExprs[1:]
			}
		}
		p.recordCall(e, args[0], restExprs, rest, false, true)
		rs := p.callValues(nil, args[0], rest, restExprs)
		return append([]*ValueSet{p.boolSet}, rs...)
	case "require":
		out := &ValueSet{}
		names, all := argOr(args, 0).ConstStrings()
		for _, n := range names {
			out.add(moduleValue(n))
		}
		if !all {
			out.add(unknownSet)
		}
		return []*ValueSet{out}
	case "rawget":
		return []*ValueSet{p.index(argOr(args, 0), argOr(args, 1))}
	case "rawset":
		p.store(argOr(args, 0), argOr(args, 1), argOr(args, 2), nil, nil)
		return []*ValueSet{argOr(args, 0)}
	case "assert":
		// assert(v, msg) returns its arguments: assert(io.open(p, "a")).
		if len(args) == 0 {
			return []*ValueSet{p.anySet}
		}
		return args
	case "setmetatable":
		// Lookups that miss fall through to __index: follow tables there.
		for _, tv := range argOr(args, 0).Values() {
			if tv.Kind != KTable {
				continue
			}
			for _, mv := range argOr(args, 1).Values() {
				if mv.Kind == KTable {
					if idx, ok := mv.Table.fields["__index"]; ok {
						p.addTo(&tv.Table.meta, idx)
					}
					if !mv.Table.any.Empty() {
						p.addVal(&tv.Table.meta, unknownSet)
					}
				} else if mv.Kind != KNil {
					p.addVal(&tv.Table.meta, unknownSet)
				}
			}
		}
		return []*ValueSet{argOr(args, 0)}
	case "getfenv":
		return []*ValueSet{setOf(Value{Kind: KLib, Str: "_G"})}
	case "select":
		return p.selectResults(args, argExprs)
	case "getmetatable":
		// getmetatable("").__index is the string library.
		for _, v := range argOr(args, 0).Values() {
			if v.Kind == KString || v.IsLib("string") {
				return []*ValueSet{setOf(Value{Kind: KLib, Str: stringMetatable}, unknownSet)}
			}
		}
		return []*ValueSet{p.anySet}
	case "unpack", "table.unpack":
		return p.unpack(argOr(args, 0))
	case "table.remove", "next":
		out := &ValueSet{}
		for _, tv := range argOr(args, 0).Values() {
			out.addAll(p.elements(tv))
		}
		if path == "next" {
			return []*ValueSet{p.anySet, out}
		}
		return []*ValueSet{out}
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
		}
		return nil
	case "tostring":
		a := argOr(args, 0)
		out := &ValueSet{}
		out.addTaintOf(a)
		if strs, all := a.ConstStrings(); all {
			for _, s := range strs {
				out.add(Value{Kind: KString, Str: s})
			}
			return []*ValueSet{out}
		}
		out.add(unknownSet)
		return []*ValueSet{out}
	case "tonumber":
		return []*ValueSet{setOf(Value{Kind: KNumber}, Value{Kind: KNil})}
	case "wrk.lookup":
		host := argOr(args, 0)
		trusted := !host.Empty()
		for _, v := range host.Values() {
			if !v.IsLib("wrk.host") {
				trusted = false
			}
		}
		return []*ValueSet{setOf(Value{Kind: KLookup, Trusted: trusted})}
	case "io.open":
		return []*ValueSet{setOf(Value{Kind: KLib, Str: "io.file"}, Value{Kind: KNil}), p.anySet}
	case "io.popen":
		return []*ValueSet{setOf(Value{Kind: KLib, Str: "io.pfile"}, Value{Kind: KNil}), p.anySet}
	case "io.output", "io.input":
		return []*ValueSet{setOf(Value{Kind: KLib, Str: "io.file"})}
	}
	if strings.HasPrefix(path, "string.") || path == "table.concat" {
		if p.foldBudget > 0 {
			if v, ok := foldStringCall(path, args); ok {
				n := 0
				for _, s := range v.Values() {
					n += len(s.Str)
				}
				if p.spendFold(n, maxConstants*maxFoldLen) {
					return []*ValueSet{p.argsTaint(v, args)}
				}
			}
		}
	}
	// Objects made by a module's functions (socket.tcp(), http clients)
	// keep the module's identity, so their methods are recognised.
	if strings.HasPrefix(path, "module:") {
		for _, a := range args {
			p.escape(a)
		}
		return []*ValueSet{p.argsTaint(setOf(Value{Kind: KLib, Str: path + "()"}, unknownSet), args)}
	}
	// A library function we do not model may call what it is given, and
	// its results may hold any of its arguments (string methods, cjson,
	// wrk.format).
	for _, a := range args {
		p.escape(a)
	}
	return []*ValueSet{p.argsTaint(unknown(), args)}
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
		return []*ValueSet{p.numberSet}
	}
	rest := args[1:]
	from := 0
	if n, ok := args[0].ConstString(); ok {
		if i, err := strconv.Atoi(n); err == nil && i >= 1 {
			from = i - 1
		}
	}
	exact := len(argExprs) == len(args) && len(argExprs) > 0 && !isMulti(argExprs[len(argExprs)-1])
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
	return []*ValueSet{out}
}

// elements is the union of the values stored in a table-like value.
func (p *program) elements(v Value) *ValueSet {
	switch v.Kind {
	case KTable:
		return v.Table.allValues()
	case KLookup:
		return setOf(Value{Kind: KAddr, Trusted: v.Trusted})
	}
	return p.anySet
}

func (p *program) unpack(t *ValueSet) []*ValueSet {
	var out []*ValueSet
	for _, tv := range t.Values() {
		if tv.Kind != KTable {
			out = mergeInto(out, []*ValueSet{p.elements(tv)})
			continue
		}
		var rs []*ValueSet
		for i := 1; ; i++ {
			fs, ok := tv.Table.fields[fmt.Sprint(i)]
			if !ok {
				break
			}
			rs = append(rs, fs)
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
