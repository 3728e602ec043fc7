package lualib

import (
	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// Number formatting in concatenation. gopher-lua's VM turns a number
// operand of ".." into a string with its own LNumber.String (Go's shortest
// form: 1e15 .. "" is "1000000000000000", 10/3 .. "" is
// "3.3333333333333335") inline, without calling anything a library can
// replace: not tostring, not a string metamethod. RewriteConcat changes the
// script's syntax tree before it is compiled instead: a number literal
// operand becomes the string LuaJIT would make of it, and every operand
// that may hold a number at run time is passed through a hidden local
// function that formats numbers as LuaJIT and returns anything else
// unchanged (strings, and tables or userdata whose __concat metamethod must
// still run). Operands that are string literals, nested concatenations or
// calls known to return strings are left alone.
//
// The one visible change: a __concat metamethod receives a number operand
// already converted to a string.

// concatLocal is the hidden local's name: it contains a NUL byte, so no
// identifier in a script can refer to it or shadow it.
const concatLocal = "\x00lualib_concat"

// concatGlobal is where Open(Base) puts the function for the chunk's
// first statement to copy into the local; the NUL byte keeps it apart from
// any name a script would use.
const concatGlobal = "\x00lualib_concat_g"

// concatArg is the hidden function: a number becomes LuaJIT's string.
func concatArg(ls *lua.LState) int {
	if n, ok := ls.Get(1).(lua.LNumber); ok {
		ls.Push(lua.LString(FormatNumber(float64(n))))
		return 1
	}
	ls.Push(ls.Get(1))
	return 1
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
func InstallRewriteHelpers(ls *lua.LState) {
	ls.G.Global.RawSetString(concatGlobal, ls.NewFunction(concatArg))
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
		e.Lhs = operand(e.Lhs)
		e.Rhs = operand(e.Rhs)
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

// stringMethods return strings whatever their arguments (or raise).
var stringMethods = map[string]bool{
	"format": true, "rep": true, "sub": true, "upper": true, "lower": true,
	"reverse": true, "char": true, "concat": true,
}

// operand rewrites one operand of "..".
func operand(e ast.Expr) ast.Expr {
	e = expr(e)
	switch x := e.(type) {
	case *ast.StringExpr, *ast.StringConcatOpExpr:
		return e
	case *ast.NumberExpr:
		if f, ok := ParseNumber(x.Value); ok {
			s := &ast.StringExpr{Value: FormatNumber(f)}
			s.SetLine(x.Line())
			s.SetLastLine(x.LastLine())
			return s
		}
	case *ast.FuncCallExpr:
		if isStringCall(x) {
			return e
		}
	}
	call := &ast.FuncCallExpr{Func: &ast.IdentExpr{Value: concatLocal}, Args: []ast.Expr{e}, AdjustRet: true}
	call.SetLine(e.Line())
	call.SetLastLine(e.LastLine())
	call.Func.SetLine(e.Line())
	return call
}

// isStringCall recognises tostring(x), string.format(...) and s:rep(...)
// style calls, whose results need no conversion.
func isStringCall(c *ast.FuncCallExpr) bool {
	if c.Receiver != nil {
		return stringMethods[c.Method]
	}
	switch f := c.Func.(type) {
	case *ast.IdentExpr:
		return f.Value == "tostring"
	case *ast.AttrGetExpr:
		obj, ok1 := f.Object.(*ast.IdentExpr)
		key, ok2 := f.Key.(*ast.StringExpr)
		return ok1 && ok2 && (obj.Value == "string" && stringMethods[key.Value] || obj.Value == "table" && key.Value == "concat")
	}
	return false
}
