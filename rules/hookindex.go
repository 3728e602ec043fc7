package rules

import (
	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/internal/luasrc"
)

// scriptIndex is what the wrk-correctness rules (WL801-WL805) need to know
// about a script beyond values: where each name is used and assigned, in
// which function, and which hooks reach each function. It is built by one
// walk over the AST. Every script runs these rules, so the index keeps its
// per-node data in slices indexed by expression id and function number
// rather than in maps, and one worker reuses the same index (its slices
// and maps, cleared) from one file to the next (Pass.Scratch).
type scriptIndex struct {
	pass *analyzer.Pass
	// funcs lists the file's functions in source order. Elsewhere a
	// function is its position in funcs, and -1 is the main chunk.
	funcs []*ast.FunctionExpr
	// parent holds, for each function, the function it is nested in.
	parent []int32
	// exprs holds what the walk learnt about each expression, by id.
	exprs  []exprInfo
	idents []identUse
	// strExprs and methods are every string literal (keys written as
	// names, a.b, included) and every method name called: WL801 looks a
	// name up in them, for the rare function it suspects.
	strExprs []*ast.StringExpr
	methods  []string
	// fieldWrites are assignments to an indexed location (a.b = v,
	// a[k] = v, function a.b() end).
	fieldWrites []fieldWrite
	// attrs are every indexing expression, read or assigned, and every
	// method call, with whether it is assigned.
	attrs []attrUse
	// localHookFunc is set when some local statement binds a function to
	// a hook's name (local function request), WL802's subject.
	localHookFunc bool
	// topLocals are the locals the main chunk declares: like globals,
	// every Lua state has its own copy.
	topLocals map[*analyzer.Var]bool
	// readsOf lists the reads of each variable, made on demand.
	readsOf map[*analyzer.Var][]identUse
	// reach holds, for each function, the hooks that may run it (bits
	// of hookBit) and whether the main chunk may (bitTop); built on
	// demand by reachability (reachDone), with edges and stack.
	reach     []uint8
	reachDone bool
	edges     [][]int32
	stack     []int32
}

// exprInfo is what the index records about one expression.
type exprInfo struct {
	// node is the expression the entry is about: ids are per file, and a
	// node of another file (a module's function in a value) must not be
	// mistaken for this file's expression with the same id.
	node ast.Expr
	// fn is the function the expression occurs in; for a function
	// expression, num is its own position in funcs.
	fn, num int32
	// tested is set for the expressions whose existence the script
	// tests: an if or while condition, an operand of not, the left
	// operand of and or or, a comparison with nil, an argument of type().
	tested bool
}

// identUse is one occurrence of an identifier.
type identUse struct {
	id *ast.IdentExpr
	fn int32 // the function it occurs in, -1 for the main chunk
	// write is set for an assignment target (x = v, function x() end);
	// value is then the assigned expression, if any.
	write bool
	value ast.Expr
}

type fieldWrite struct {
	target *ast.AttrGetExpr // the location assigned
	fn     int32
}

// attrUse is an indexing expression or a method. The key is keyExpr's
// constant value, or method when keyExpr is nil; attrKey works it out
// for the few uses a rule looks at.
type attrUse struct {
	obj     ast.Expr
	keyExpr ast.Expr
	method  string
	node    ast.Expr
	fn      int32
	write   bool
}

// Bits of scriptIndex.reach: one per hook in wrk's order, then the main
// chunk (code that runs when the script is loaded, in every Lua state).
const (
	bitSetup uint8 = 1 << iota
	bitInit
	bitDelay
	bitRequest
	bitResponse
	bitDone
	bitTop
	// bitThread: the hooks wrk runs in the threads' Lua states.
	bitThread = bitInit | bitDelay | bitRequest | bitResponse
	// bitMainState: what runs in the main state, which done() sees.
	bitMainState = bitSetup | bitDone | bitTop
)

var hookBits = []struct {
	name string
	bit  uint8
}{{"setup", bitSetup}, {"init", bitInit}, {"delay", bitDelay}, {"request", bitRequest}, {"response", bitResponse}, {"done", bitDone}}

// indexKey is the Memo and Scratch key of the scriptIndex.
type indexKey struct{}

// maxKeptIndex bounds the slices and maps an index keeps for the next
// file: those of an exceptionally large script are left to the garbage
// collector.
const maxKeptIndex = 1 << 14

// newScriptIndex returns the file's index, built once for all the rules
// of the family.
func newScriptIndex(pass *analyzer.Pass) *scriptIndex {
	x, _ := pass.Memo(indexKey{}, func() any {
		x, _ := pass.Scratch(indexKey{}, func() any { return &scriptIndex{} }).(*scriptIndex)
		x.build(pass)
		return x
	}).(*scriptIndex)
	x.pass = pass
	return x
}

// build resets x for pass's file and walks it.
func (x *scriptIndex) build(pass *analyzer.Pass) {
	n := len(pass.File.Spans)
	*x = scriptIndex{
		pass:        pass,
		funcs:       reslice(x.funcs),
		parent:      reslice(x.parent),
		exprs:       x.exprs,
		idents:      reslice(x.idents),
		strExprs:    reslice(x.strExprs),
		methods:     reslice(x.methods),
		fieldWrites: reslice(x.fieldWrites),
		attrs:       reslice(x.attrs),
		topLocals:   x.topLocals,
		reach:       reslice(x.reach),
		edges:       x.edges,
		stack:       reslice(x.stack),
	}
	if cap(x.exprs) < n || cap(x.exprs) > maxKeptIndex {
		x.exprs = make([]exprInfo, n)
	} else {
		x.exprs = x.exprs[:n]
		clear(x.exprs)
	}
	if x.topLocals == nil || len(x.topLocals) > maxKeptIndex {
		x.topLocals = map[*analyzer.Var]bool{}
	} else {
		clear(x.topLocals)
	}
	if len(x.edges) > maxKeptIndex {
		x.edges = nil
	}
	x.block(pass.File.Chunk, -1)
}

// reslice returns s emptied for reuse, or nil when it grew too large to
// keep. What the previous file left in it is garbage of one file, as in
// the analyzer's own buffers.
func reslice[T any](s []T) []T {
	if cap(s) > maxKeptIndex {
		return nil
	}
	return s[:0]
}

// info returns the entry of expression e, or nil when e has no id in this
// file.
func (x *scriptIndex) info(e ast.Expr) *exprInfo {
	id := luasrc.ExprID(e)
	if id < 0 || id >= len(x.exprs) {
		return nil
	}
	in := &x.exprs[id]
	if in.node == nil {
		in.node = e
	} else if in.node != e {
		return nil
	}
	return in
}

// lookup returns the entry the walk made for e, or nil.
func (x *scriptIndex) lookup(e ast.Expr) *exprInfo {
	id := luasrc.ExprID(e)
	if id < 0 || id >= len(x.exprs) || x.exprs[id].node != e || e == nil {
		return nil
	}
	return &x.exprs[id]
}

// funcNum returns fn's position in funcs, or -1 when fn is not a
// function of this file.
func (x *scriptIndex) funcNum(fn *ast.FunctionExpr) int32 {
	if fn == nil {
		return -1
	}
	if in := x.lookup(fn); in != nil && int(in.num) < len(x.funcs) && x.funcs[in.num] == fn {
		return in.num
	}
	return -1
}

func (x *scriptIndex) block(stmts []ast.Stmt, fn int32) {
	for _, s := range stmts {
		x.stmt(s, fn)
	}
}

func (x *scriptIndex) stmt(s ast.Stmt, fn int32) {
	switch s := s.(type) {
	case *ast.AssignStmt:
		for _, e := range s.Rhs {
			x.expr(e, fn)
		}
		for i, l := range s.Lhs {
			var val ast.Expr
			if i < len(s.Rhs) {
				val = s.Rhs[i]
			}
			x.target(l, val, fn)
		}
	case *ast.LocalAssignStmt:
		for _, e := range s.Exprs {
			x.expr(e, fn)
		}
		var vars []*analyzer.Var
		if fn < 0 {
			vars = x.pass.LocalVars(s)
			for _, v := range vars {
				x.topLocals[v] = true
			}
		}
		if !x.localHookFunc {
			for i, e := range s.Exprs {
				if _, ok := e.(*ast.FunctionExpr); !ok || i >= len(s.Names) {
					continue
				}
				if vars == nil {
					vars = x.pass.LocalVars(s)
				}
				if i < len(vars) && analyzer.IsHookName(vars[i].Name) {
					x.localHookFunc = true
				}
			}
		}
	case *ast.FuncCallStmt:
		x.expr(s.Expr, fn)
	case *ast.DoBlockStmt:
		x.block(s.Stmts, fn)
	case *ast.WhileStmt:
		x.test(s.Condition)
		x.expr(s.Condition, fn)
		x.block(s.Stmts, fn)
	case *ast.RepeatStmt:
		x.block(s.Stmts, fn)
		x.test(s.Condition)
		x.expr(s.Condition, fn)
	case *ast.IfStmt:
		x.test(s.Condition)
		x.expr(s.Condition, fn)
		x.block(s.Then, fn)
		x.block(s.Else, fn)
	case *ast.NumberForStmt:
		x.expr(s.Init, fn)
		x.expr(s.Limit, fn)
		if s.Step != nil {
			x.expr(s.Step, fn)
		}
		x.block(s.Stmts, fn)
	case *ast.GenericForStmt:
		for _, e := range s.Exprs {
			x.expr(e, fn)
		}
		x.block(s.Stmts, fn)
	case *ast.FuncDefStmt:
		if s.Name.Func != nil {
			x.target(s.Name.Func, s.Func, fn)
		} else {
			// function obj:m() stores into obj.
			x.expr(s.Name.Receiver, fn)
			x.attrs = append(x.attrs, attrUse{obj: s.Name.Receiver, method: s.Name.Method, node: s.Name.Receiver, fn: fn, write: true})
		}
		x.expr(s.Func, fn)
	case *ast.ReturnStmt:
		for _, e := range s.Exprs {
			x.expr(e, fn)
		}
	}
}

// target records an assignment target.
func (x *scriptIndex) target(l, val ast.Expr, fn int32) {
	switch l := l.(type) {
	case *ast.IdentExpr:
		x.visit(l, fn)
		x.idents = append(x.idents, identUse{id: l, fn: fn, write: true, value: val})
	case *ast.AttrGetExpr:
		x.visit(l, fn)
		x.expr(l.Object, fn)
		x.expr(l.Key, fn)
		x.fieldWrites = append(x.fieldWrites, fieldWrite{target: l, fn: fn})
		x.attrs = append(x.attrs, attrUse{obj: l.Object, keyExpr: l.Key, node: l, fn: fn, write: true})
	default:
		x.expr(l, fn)
	}
}

// attrKey returns the constant key of a, "" when it is not one.
func (x *scriptIndex) attrKey(a *attrUse) string {
	if a.keyExpr == nil {
		return a.method
	}
	if s, ok := a.keyExpr.(*ast.StringExpr); ok {
		return x.pass.StringLiteral(s)
	}
	if s, ok := x.pass.Values(a.keyExpr).ConstString(); ok {
		return s
	}
	return ""
}

// visit records that e occurs in function fn.
func (x *scriptIndex) visit(e ast.Expr, fn int32) *exprInfo {
	in := x.info(e)
	if in != nil {
		in.fn = fn
	}
	return in
}

func (x *scriptIndex) expr(e ast.Expr, fn int32) {
	switch e := e.(type) {
	case *ast.IdentExpr:
		x.visit(e, fn)
		x.idents = append(x.idents, identUse{id: e, fn: fn})
	case *ast.StringExpr:
		x.strExprs = append(x.strExprs, e)
	case *ast.AttrGetExpr:
		x.visit(e, fn)
		x.expr(e.Object, fn)
		x.expr(e.Key, fn)
		x.attrs = append(x.attrs, attrUse{obj: e.Object, keyExpr: e.Key, node: e, fn: fn})
	case *ast.TableExpr:
		for _, f := range e.Fields {
			if f.Key != nil {
				x.expr(f.Key, fn)
			}
			x.expr(f.Value, fn)
		}
	case *ast.FuncCallExpr:
		x.visit(e, fn)
		if e.Func != nil {
			x.expr(e.Func, fn)
		} else {
			x.expr(e.Receiver, fn)
			x.methods = append(x.methods, e.Method)
			x.attrs = append(x.attrs, attrUse{obj: e.Receiver, method: e.Method, node: e, fn: fn})
		}
		if id, ok := e.Func.(*ast.IdentExpr); ok && id.Value == "type" && len(e.Args) == 1 {
			x.setTested(e.Args[0])
		}
		for _, a := range e.Args {
			x.expr(a, fn)
		}
	case *ast.LogicalOpExpr:
		x.test(e.Lhs)
		x.expr(e.Lhs, fn)
		x.expr(e.Rhs, fn)
	case *ast.RelationalOpExpr:
		x.test(e)
		x.expr(e.Lhs, fn)
		x.expr(e.Rhs, fn)
	case *ast.StringConcatOpExpr:
		x.expr(e.Lhs, fn)
		x.expr(e.Rhs, fn)
	case *ast.ArithmeticOpExpr:
		x.expr(e.Lhs, fn)
		x.expr(e.Rhs, fn)
	case *ast.UnaryMinusOpExpr:
		x.expr(e.Expr, fn)
	case *ast.UnaryNotOpExpr:
		x.test(e.Expr)
		x.expr(e.Expr, fn)
	case *ast.UnaryLenOpExpr:
		x.expr(e.Expr, fn)
	case *ast.FunctionExpr:
		num := int32(len(x.funcs))
		x.funcs = append(x.funcs, e)
		x.parent = append(x.parent, fn)
		if in := x.visit(e, fn); in != nil {
			in.num = num
		}
		x.block(e.Stmts, num)
	}
}

// setTested marks e as tested for existence.
func (x *scriptIndex) setTested(e ast.Expr) {
	if in := x.info(e); in != nil {
		in.tested = true
	}
}

// isTested reports whether the script tests e for existence.
func (x *scriptIndex) isTested(e ast.Expr) bool {
	in := x.lookup(e)
	return in != nil && in.tested
}

// test records the expressions a condition tests for existence.
func (x *scriptIndex) test(e ast.Expr) {
	for {
		switch v := e.(type) {
		case *ast.LogicalOpExpr:
			x.test(v.Lhs)
			e = v.Rhs
			continue
		case *ast.UnaryNotOpExpr:
			e = v.Expr
			continue
		case *ast.RelationalOpExpr:
			if v.Operator == "==" || v.Operator == "~=" {
				if _, ok := v.Rhs.(*ast.NilExpr); ok {
					e = v.Lhs
					continue
				}
				if _, ok := v.Lhs.(*ast.NilExpr); ok {
					e = v.Rhs
					continue
				}
			}
			return
		}
		x.setTested(e)
		return
	}
}

// hasString reports whether the script names s in a string literal, a key
// written as a name or a method call.
func (x *scriptIndex) hasString(s string) bool {
	for _, e := range x.strExprs {
		if x.pass.StringLiteral(e) == s {
			return true
		}
	}
	for _, m := range x.methods {
		if m == s {
			return true
		}
	}
	return false
}

// returnsOf returns the return statements of fn's own body, in source
// order (those of functions nested in it belong to them).
func returnsOf(fn *ast.FunctionExpr) []*ast.ReturnStmt {
	var out []*ast.ReturnStmt
	var walk func(stmts []ast.Stmt)
	walk = func(stmts []ast.Stmt) {
		for _, s := range stmts {
			switch s := s.(type) {
			case *ast.ReturnStmt:
				out = append(out, s)
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
			}
		}
	}
	walk(fn.Stmts)
	return out
}

// globalName returns the name of the global an identifier refers to, or
// "" for a local.
func (x *scriptIndex) globalName(id *ast.IdentExpr) string {
	if v := x.pass.IdentVar(id); v != nil && v.Global {
		return v.Name
	}
	return ""
}

// reachability computes which hooks (and whether the main chunk) may run
// each function: a function runs where the code calling it runs. Calls
// are those the value analysis resolved, pcall's included; a function
// passed as an argument is taken to be called where it is passed
// (table.sort's comparator, string.gsub's replacement). A function that
// no visible code reaches keeps no bit: callers treat it as able to run
// anywhere. The result is indexed by function number; reachOf reads it.
func (x *scriptIndex) reachability() []uint8 {
	if x.reachDone {
		return x.reach
	}
	x.reachDone = true
	// edges[i+1] are the functions function i calls, edges[0] those the
	// main chunk calls. Functions of other files (a module's, in a
	// value) have no edges of their own and no reach that matters here.
	n := len(x.funcs) + 1
	for len(x.edges) < n {
		x.edges = append(x.edges, nil)
	}
	for i := range x.edges[:n] {
		x.edges[i] = x.edges[i][:0]
	}
	addFuncs := func(from int32, vals *analyzer.ValueSet) {
		for _, v := range vals.Values() {
			if v.Kind == analyzer.KFunc && v.Func != nil {
				if to := x.funcNum(v.Func.Node); to >= 0 {
					x.edges[from+1] = append(x.edges[from+1], to)
				}
			}
		}
	}
	for _, c := range x.pass.Calls() {
		if c.Node == nil {
			continue
		}
		in := x.lookup(c.Node)
		if in == nil {
			continue
		}
		addFuncs(in.fn, c.Callee)
		for _, a := range c.ArgVals {
			addFuncs(in.fn, a)
		}
	}
	reach := x.reach[:0]
	for range x.funcs {
		reach = append(reach, 0)
	}
	// An explicit stack rather than recursion: call chains in hostile
	// scripts can be long.
	visit := func(root int32, bit uint8) {
		stack := x.stack[:0]
		stack = append(stack, root)
		for len(stack) > 0 {
			fn := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if reach[fn]&bit != 0 {
				continue
			}
			reach[fn] |= bit
			stack = append(stack, x.edges[fn+1]...)
		}
		x.stack = stack
	}
	for _, h := range hookBits {
		for _, f := range x.pass.Hook(h.name) {
			if num := x.funcNum(f.Node); num >= 0 {
				visit(num, h.bit)
			}
		}
	}
	for _, callee := range x.edges[0] {
		visit(callee, bitTop)
	}
	x.reach = reach
	return reach
}

// reachOf returns the reach bits of function fn (0 for the main chunk).
func (x *scriptIndex) reachOf(fn int32) uint8 {
	if fn < 0 {
		return 0
	}
	return x.reachability()[fn]
}

// hookList names the hooks of a reach mask: "init() and request()".
func hookList(mask uint8) string {
	var names []string
	for _, h := range hookBits {
		if mask&h.bit != 0 {
			names = append(names, h.name+"()")
		}
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	out := names[0]
	for i, n := range names[1:] {
		if i == len(names)-2 {
			out += " and " + n
		} else {
			out += ", " + n
		}
	}
	return out
}

// rootIdent returns the identifier an indexing chain starts from (stats
// in stats.codes[s]), or nil.
func rootIdent(e ast.Expr) *ast.IdentExpr {
	for {
		switch v := e.(type) {
		case *ast.IdentExpr:
			return v
		case *ast.AttrGetExpr:
			e = v.Object
		default:
			return nil
		}
	}
}

// editDistance is the optimal string alignment distance (Levenshtein with
// adjacent transpositions) between two short names, or limit+1 once it
// exceeds limit. Names are a few bytes long: a plain table is enough.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	if len(a) > 64 || len(b) > 64 {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if prev[len(b)] > limit {
		return limit + 1
	}
	return prev[len(b)]
}
