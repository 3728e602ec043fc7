package rules

import (
	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/analyzer"
)

// scriptIndex is what the wrk-correctness rules (WL801-WL805) need to know
// about a script beyond values: where each name is used and assigned, in
// which function, and which hooks reach each function. It is built by one
// walk over the AST.
type scriptIndex struct {
	pass *analyzer.Pass
	// parent maps a function to the function it is nested in (nil: the
	// main chunk); funcs lists functions in source order.
	parent map[*ast.FunctionExpr]*ast.FunctionExpr
	funcs  []*ast.FunctionExpr
	// callIn maps every call to the function it is made in.
	callIn map[*ast.FuncCallExpr]*ast.FunctionExpr
	idents []identUse
	// strs holds every string literal's value, keys written as names
	// (a.b) included.
	strs map[string]bool
	// fieldWrites are assignments to an indexed location (a.b = v,
	// a[k] = v, function a.b() end).
	fieldWrites []fieldWrite
	// attrs are every indexing expression, read or assigned, and every
	// method call, with whether it is assigned.
	attrs []attrUse
	// returns lists the return statements of each function.
	returns map[*ast.FunctionExpr][]*ast.ReturnStmt
	// tested holds the expressions whose existence the script tests: an
	// if or while condition, an operand of not, the left operand of and
	// or or, a comparison with nil, an argument of type().
	tested map[ast.Expr]bool
	// topLocals are the locals the main chunk declares: like globals,
	// every Lua state has its own copy.
	topLocals map[*analyzer.Var]bool
	// readsOf lists the reads of each variable, made on demand.
	readsOf map[*analyzer.Var][]identUse
	// reach holds, for each function, the hooks that may run it (bits
	// of hookBit) and whether the main chunk may (bitTop); built on
	// demand by reachability.
	reach map[*ast.FunctionExpr]uint8
}

// identUse is one occurrence of an identifier.
type identUse struct {
	id *ast.IdentExpr
	fn *ast.FunctionExpr // the function it occurs in, nil for the main chunk
	// write is set for an assignment target (x = v, function x() end);
	// value is then the assigned expression, if any.
	write bool
	value ast.Expr
}

type fieldWrite struct {
	target ast.Expr // the AttrGetExpr assigned
	fn     *ast.FunctionExpr
}

type attrUse struct {
	obj   ast.Expr
	key   string // the constant key, "" when it is not one
	node  ast.Expr
	fn    *ast.FunctionExpr
	write bool
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

// indexKey is the Memo key of the scriptIndex.
type indexKey struct{}

// newScriptIndex returns the file's index, built once for all the rules
// of the family.
func newScriptIndex(pass *analyzer.Pass) *scriptIndex {
	x, _ := pass.Memo(indexKey{}, func() any { return buildScriptIndex(pass) }).(*scriptIndex)
	x.pass = pass
	return x
}

func buildScriptIndex(pass *analyzer.Pass) *scriptIndex {
	x := &scriptIndex{
		pass:      pass,
		parent:    map[*ast.FunctionExpr]*ast.FunctionExpr{},
		callIn:    map[*ast.FuncCallExpr]*ast.FunctionExpr{},
		strs:      map[string]bool{},
		returns:   map[*ast.FunctionExpr][]*ast.ReturnStmt{},
		topLocals: map[*analyzer.Var]bool{},
		tested:    map[ast.Expr]bool{},
	}
	x.block(pass.File.Chunk, nil)
	return x
}

func (x *scriptIndex) block(stmts []ast.Stmt, fn *ast.FunctionExpr) {
	for _, s := range stmts {
		x.stmt(s, fn)
	}
}

func (x *scriptIndex) stmt(s ast.Stmt, fn *ast.FunctionExpr) {
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
		if fn == nil {
			for _, v := range x.pass.LocalVars(s) {
				x.topLocals[v] = true
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
			x.attrs = append(x.attrs, attrUse{obj: s.Name.Receiver, key: s.Name.Method, node: s.Name.Receiver, fn: fn, write: true})
		}
		x.expr(s.Func, fn)
	case *ast.ReturnStmt:
		x.returns[fn] = append(x.returns[fn], s)
		for _, e := range s.Exprs {
			x.expr(e, fn)
		}
	}
}

// target records an assignment target.
func (x *scriptIndex) target(l, val ast.Expr, fn *ast.FunctionExpr) {
	switch l := l.(type) {
	case *ast.IdentExpr:
		x.idents = append(x.idents, identUse{id: l, fn: fn, write: true, value: val})
	case *ast.AttrGetExpr:
		x.expr(l.Object, fn)
		x.expr(l.Key, fn)
		x.fieldWrites = append(x.fieldWrites, fieldWrite{target: l, fn: fn})
		x.attrs = append(x.attrs, attrUse{obj: l.Object, key: x.constKey(l.Key), node: l, fn: fn, write: true})
	default:
		x.expr(l, fn)
	}
}

func (x *scriptIndex) constKey(k ast.Expr) string {
	if s, ok := k.(*ast.StringExpr); ok {
		return x.pass.StringLiteral(s)
	}
	if s, ok := x.pass.Values(k).ConstString(); ok {
		return s
	}
	return ""
}

func (x *scriptIndex) expr(e ast.Expr, fn *ast.FunctionExpr) {
	switch e := e.(type) {
	case *ast.IdentExpr:
		x.idents = append(x.idents, identUse{id: e, fn: fn})
	case *ast.StringExpr:
		x.strs[x.pass.StringLiteral(e)] = true
	case *ast.AttrGetExpr:
		x.expr(e.Object, fn)
		x.expr(e.Key, fn)
		x.attrs = append(x.attrs, attrUse{obj: e.Object, key: x.constKey(e.Key), node: e, fn: fn})
	case *ast.TableExpr:
		for _, f := range e.Fields {
			if f.Key != nil {
				x.expr(f.Key, fn)
			}
			x.expr(f.Value, fn)
		}
	case *ast.FuncCallExpr:
		x.callIn[e] = fn
		if e.Func != nil {
			x.expr(e.Func, fn)
		} else {
			x.expr(e.Receiver, fn)
			x.strs[e.Method] = true
			x.attrs = append(x.attrs, attrUse{obj: e.Receiver, key: e.Method, node: e, fn: fn})
		}
		if id, ok := e.Func.(*ast.IdentExpr); ok && id.Value == "type" && len(e.Args) == 1 {
			x.tested[e.Args[0]] = true
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
		x.parent[e] = fn
		x.funcs = append(x.funcs, e)
		x.block(e.Stmts, e)
	}
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
		x.tested[e] = true
		return
	}
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
// anywhere.
func (x *scriptIndex) reachability() map[*ast.FunctionExpr]uint8 {
	if x.reach != nil {
		return x.reach
	}
	edges := map[*ast.FunctionExpr][]*ast.FunctionExpr{}
	addFuncs := func(from *ast.FunctionExpr, vals *analyzer.ValueSet) {
		for _, v := range vals.Values() {
			if v.Kind == analyzer.KFunc && v.Func != nil {
				edges[from] = append(edges[from], v.Func.Node)
			}
		}
	}
	for _, c := range x.pass.Calls() {
		from, ok := x.callIn[c.Node]
		if !ok {
			continue
		}
		addFuncs(from, c.Callee)
		for _, a := range c.ArgVals {
			addFuncs(from, a)
		}
	}
	reach := map[*ast.FunctionExpr]uint8{}
	// An explicit stack rather than recursion: call chains in hostile
	// scripts can be long.
	visit := func(root *ast.FunctionExpr, bit uint8) {
		stack := []*ast.FunctionExpr{root}
		for len(stack) > 0 {
			fn := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if reach[fn]&bit != 0 {
				continue
			}
			reach[fn] |= bit
			stack = append(stack, edges[fn]...)
		}
	}
	for _, h := range hookBits {
		for _, f := range x.pass.Hook(h.name) {
			visit(f.Node, h.bit)
		}
	}
	for _, callee := range edges[nil] {
		visit(callee, bitTop)
	}
	x.reach = reach
	return reach
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
