package lualib

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// Concatenation. gopher-lua's VM concatenates inline (OP_CONCAT): it
// formats a number operand with its own LNumber.String (Go's shortest form:
// 1e15 .. "" is "1000000000000000", not LuaJIT's "1e+15"), and it joins
// any number of operands in one uninterruptible allocation, so that one
// expression of 40 operands naming a 64 MiB string builds 2.5 GiB before
// anything can look at it. RewriteConcat changes the script's syntax tree
// before it is compiled instead: every chain of ".." (a .. b .. c is one
// chain) becomes one call of a hidden local function, which concatenates
// as Lua 5.1 does (right to left; runs of strings and numbers joined at
// once; __concat for the others) with LuaJIT's number formatting and
// error words, and refuses a result longer than the library's MaxString
// with "not enough memory" before allocating it.

// concatLocal is the hidden local's name: it contains a NUL byte, so no
// identifier in a script can refer to it or shadow it.
const concatLocal = "\x00lualib_concat"

// concatGlobal is where Open(Base) puts the function for the chunk's
// first statement to copy into the local; the NUL byte keeps it apart from
// any name a script would use.
const concatGlobal = "\x00lualib_concat_g"

// concatRegistry is the registry key of the concat function Open(Base)
// made with its limits, which InstallRewriteHelpers reuses.
const concatRegistry = "lualib.concat"

// concatArgs is how many operands' strings concat keeps on the Go stack;
// longer chains allocate.
const concatArgs = 8

// concat is the hidden function: concat(a, b, ...) is a .. b .. ...
func (lb *lib) concat(ls *lua.LState) int {
	n := ls.GetTop()
	if n == 0 {
		ls.Push(lua.LString(""))
		return 1
	}
	rhs := ls.Get(n)
	var small [concatArgs]string
	for i := n - 1; i >= 1; {
		lhs := ls.Get(i)
		if !catable(lhs) || !catable(rhs) {
			rhs = concatMeta(ls, lhs, rhs)
			i--
			continue
		}
		// The longest run of strings and numbers ending at i, joined at
		// once with rhs, after its size is checked.
		j := i
		for j > 1 && catable(ls.Get(j-1)) {
			j--
		}
		parts := small[:0]
		if i-j+2 > concatArgs {
			parts = make([]string, 0, i-j+2)
		}
		size := int64(0)
		for k := j; k <= i; k++ {
			s := catString(ls.Get(k))
			size += int64(len(s))
			parts = append(parts, s)
		}
		last := catString(rhs)
		size += int64(len(last))
		lb.checkSize(ls, size)
		parts = append(parts, last)
		var b strings.Builder
		b.Grow(int(size))
		for _, s := range parts {
			b.WriteString(s)
		}
		rhs = lua.LString(b.String())
		i = j - 1
	}
	ls.Push(rhs)
	return 1
}

// catable reports whether v concatenates without a metamethod.
func catable(v lua.LValue) bool {
	switch v.(type) {
	case lua.LString, lua.LNumber:
		return true
	}
	return false
}

// catString is a catable value's string, numbers as LuaJIT formats them.
func catString(v lua.LValue) string {
	if n, ok := v.(lua.LNumber); ok {
		return FormatNumber(float64(n))
	}
	return string(v.(lua.LString))
}

// concatMeta is lhs .. rhs through __concat (lhs's first, as LuaJIT), or
// LuaJIT's error naming the operand that is not a string: rhs unless it
// is one.
func concatMeta(ls *lua.LState, lhs, rhs lua.LValue) lua.LValue {
	mm := ls.GetMetaField(lhs, "__concat")
	if mm == lua.LNil {
		mm = ls.GetMetaField(rhs, "__concat")
	}
	if mm == lua.LNil {
		bad := rhs
		if catable(rhs) {
			bad = lhs
		}
		raise(ls, "attempt to concatenate a "+bad.Type().String()+" value")
	}
	ls.Push(mm)
	ls.Push(lhs)
	ls.Push(rhs)
	ls.Call(2, 1)
	v := ls.Get(-1)
	ls.Pop(1)
	return v
}

// Numeric for loops get the same treatment for their bounds: LuaJIT
// converts numeric strings (for i = "1", "3") and words a bad bound as
// "'for' limit must be a number", where gopher-lua's VM refuses strings
// with "for statement limit must be a number". A bound that is not a
// number literal goes through a second hidden function, once per loop.

const (
	forLocal  = "\x00lualib_for"
	forGlobal = "\x00lualib_for_g"
)

// forArg is the hidden function for loop bounds: forArg(x, what).
func forArg(ls *lua.LState) int {
	switch v := ls.Get(1).(type) {
	case lua.LNumber:
		ls.Push(v)
		return 1
	case lua.LString:
		if f, ok := ParseNumber(string(v)); ok {
			ls.Push(lua.LNumber(f))
			return 1
		}
	}
	raise(ls, "'for' "+ls.ToString(2)+" must be a number")
	return 0
}

// RewriteConcat rewrites chunk in place as described above (concatenation
// operands and numeric for bounds). It returns the chunk with a prologue
// that moves the two hidden functions from globals into locals and clears
// the globals, so that pairs(_G) does not show them: the state must have
// InstallRewriteHelpers called (Open(Base) does it) before each run of a
// rewritten chunk.
func RewriteConcat(chunk []ast.Stmt) []ast.Stmt {
	stmts(chunk)
	decl := &ast.LocalAssignStmt{
		Names: []string{concatLocal, forLocal},
		Exprs: []ast.Expr{&ast.IdentExpr{Value: concatGlobal}, &ast.IdentExpr{Value: forGlobal}},
	}
	unset := &ast.AssignStmt{
		Lhs: []ast.Expr{&ast.IdentExpr{Value: concatGlobal}, &ast.IdentExpr{Value: forGlobal}},
		Rhs: []ast.Expr{&ast.NilExpr{}, &ast.NilExpr{}},
	}
	return append([]ast.Stmt{decl, unset}, chunk...)
}

// InstallRewriteHelpers puts the hidden functions a chunk rewritten by
// RewriteConcat picks up in its prologue into ls's globals.
// The concat function is the one Open(Base) made, with its limits; a state
// without it gets one with the default limits.
func InstallRewriteHelpers(ls *lua.LState) {
	cat, ok := ls.G.Registry.RawGetString(concatRegistry).(*lua.LFunction)
	if !ok {
		cat = ls.NewFunction((&lib{lim: Limits{}.withDefaults()}).concat)
	}
	ls.G.Global.RawSetString(concatGlobal, cat)
	ls.G.Global.RawSetString(forGlobal, ls.NewFunction(forArg))
}

// forBound wraps a numeric for bound that is not a number literal.
func forBound(e ast.Expr, what string) ast.Expr {
	e = expr(e)
	switch x := e.(type) {
	case *ast.NumberExpr:
		return e
	case *ast.UnaryMinusOpExpr:
		if _, ok := x.Expr.(*ast.NumberExpr); ok {
			return e
		}
	}
	call := &ast.FuncCallExpr{Func: &ast.IdentExpr{Value: forLocal}, Args: []ast.Expr{e, &ast.StringExpr{Value: what}}, AdjustRet: true}
	call.SetLine(e.Line())
	call.SetLastLine(e.LastLine())
	call.Func.SetLine(e.Line())
	return call
}

func stmts(list []ast.Stmt) {
	for _, s := range list {
		stmt(s)
	}
}

func exprs(list []ast.Expr) {
	for i, e := range list {
		list[i] = expr(e)
	}
}

func stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.AssignStmt:
		exprs(s.Lhs)
		exprs(s.Rhs)
	case *ast.LocalAssignStmt:
		exprs(s.Exprs)
	case *ast.FuncCallStmt:
		s.Expr = expr(s.Expr)
	case *ast.DoBlockStmt:
		stmts(s.Stmts)
	case *ast.WhileStmt:
		s.Condition = expr(s.Condition)
		stmts(s.Stmts)
	case *ast.RepeatStmt:
		s.Condition = expr(s.Condition)
		stmts(s.Stmts)
	case *ast.IfStmt:
		s.Condition = expr(s.Condition)
		stmts(s.Then)
		stmts(s.Else)
	case *ast.NumberForStmt:
		s.Init = forBound(s.Init, "initial value")
		s.Limit = forBound(s.Limit, "limit")
		if s.Step != nil {
			s.Step = forBound(s.Step, "step")
		}
		stmts(s.Stmts)
	case *ast.GenericForStmt:
		exprs(s.Exprs)
		stmts(s.Stmts)
	case *ast.FuncDefStmt:
		if s.Name != nil {
			if s.Name.Func != nil {
				s.Name.Func = expr(s.Name.Func)
			}
			if s.Name.Receiver != nil {
				s.Name.Receiver = expr(s.Name.Receiver)
			}
		}
		expr(s.Func)
	case *ast.ReturnStmt:
		exprs(s.Exprs)
	}
}

// expr rewrites inside e and returns its replacement.
func expr(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case nil:
		return nil
	case *ast.StringConcatOpExpr:
		return concatCall(e)
	case *ast.AttrGetExpr:
		e.Object = expr(e.Object)
		e.Key = expr(e.Key)
	case *ast.TableExpr:
		for _, f := range e.Fields {
			if f.Key != nil {
				f.Key = expr(f.Key)
			}
			f.Value = expr(f.Value)
		}
	case *ast.FuncCallExpr:
		if e.Func != nil {
			e.Func = expr(e.Func)
		}
		if e.Receiver != nil {
			e.Receiver = expr(e.Receiver)
		}
		exprs(e.Args)
	case *ast.LogicalOpExpr:
		e.Lhs = expr(e.Lhs)
		e.Rhs = expr(e.Rhs)
	case *ast.RelationalOpExpr:
		e.Lhs = expr(e.Lhs)
		e.Rhs = expr(e.Rhs)
	case *ast.ArithmeticOpExpr:
		e.Lhs = expr(e.Lhs)
		e.Rhs = expr(e.Rhs)
	case *ast.UnaryMinusOpExpr:
		e.Expr = expr(e.Expr)
	case *ast.UnaryNotOpExpr:
		e.Expr = expr(e.Expr)
	case *ast.UnaryLenOpExpr:
		e.Expr = expr(e.Expr)
	case *ast.FunctionExpr:
		stmts(e.Stmts)
	}
	return e
}

// concatCall turns the chain a .. b .. c (right-nested in the tree) into
// concat(a, b, c). The last operand, if a call or "...", is truncated to
// one value as ".." does: in an argument list it would expand.
func concatCall(e *ast.StringConcatOpExpr) ast.Expr {
	var ops []ast.Expr
	var cur ast.Expr = e
	for {
		c, ok := cur.(*ast.StringConcatOpExpr)
		if !ok {
			break
		}
		ops = append(ops, operand(c.Lhs))
		cur = c.Rhs
	}
	ops = append(ops, operand(cur))
	switch last := ops[len(ops)-1].(type) {
	case *ast.FuncCallExpr:
		last.AdjustRet = true
	case *ast.Comma3Expr:
		last.AdjustRet = true
	}
	call := &ast.FuncCallExpr{Func: &ast.IdentExpr{Value: concatLocal}, Args: ops, AdjustRet: true}
	call.SetLine(e.Line())
	call.SetLastLine(e.LastLine())
	call.Func.SetLine(e.Line())
	return call
}

// operand rewrites inside one operand of "..". Number literals stay
// numbers: concat formats them, and a __concat metamethod receives them as
// numbers, as in LuaJIT.
func operand(e ast.Expr) ast.Expr {
	return expr(e)
}
