package analyzer

import "github.com/yuin/gopher-lua/ast"

// binder resolves every identifier to its variable with Lua's lexical
// scoping: a local is visible from the statement after its declaration to
// the end of its block, shadows outer names, and is captured by nested
// functions as an upvalue (the same Var).
type binder struct {
	p *program
	// visible holds the locals in scope, innermost last; marks holds where
	// each open block starts in it. A slice searched backwards beats a map
	// per block: scripts have few locals in scope at once.
	visible []*Var
	marks   []int
	// vars holds every variable declared, in order. The variables of one
	// owner are declared in a row (a statement's names, a function's
	// parameters): runOwner's run starts at runStart, and flush files it
	// in the program's decls as one slice of vars, rather than growing a
	// slice per owner through the map at every name.
	vars     []*Var
	runOwner any
	runStart int
}

func bindChunk(p *program, chunk []ast.Stmt) {
	b := &binder{p: p}
	b.push()
	b.block(chunk)
	b.pop()
	b.flush()
}

// flush files the current run of declarations under its owner.
func (b *binder) flush() {
	if b.runOwner == nil {
		return
	}
	run := b.vars[b.runStart:len(b.vars):len(b.vars)]
	if old := b.p.decls[b.runOwner]; old != nil {
		run = append(old, run...)
	}
	b.p.decls[b.runOwner] = run
	b.runOwner = nil
}

func (b *binder) push() { b.marks = append(b.marks, len(b.visible)) }
func (b *binder) pop() {
	b.visible = b.visible[:b.marks[len(b.marks)-1]]
	b.marks = b.marks[:len(b.marks)-1]
}

func (b *binder) declare(owner any, name string) *Var {
	v := b.p.newVar()
	v.Name = name
	b.visible = append(b.visible, v)
	if owner != b.runOwner {
		b.flush()
		b.runOwner, b.runStart = owner, len(b.vars)
	}
	b.vars = append(b.vars, v)
	return v
}

func (b *binder) lookup(name string) *Var {
	for i := len(b.visible) - 1; i >= 0; i-- {
		if b.visible[i].Name == name {
			return b.visible[i]
		}
	}
	return b.p.global(name)
}

func (b *binder) block(stmts []ast.Stmt) {
	for _, s := range stmts {
		b.stmt(s)
	}
}

func (b *binder) scoped(stmts []ast.Stmt) {
	b.push()
	b.block(stmts)
	b.pop()
}

func (b *binder) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.LocalAssignStmt:
		if b.isLocalFunction(s) {
			// local function f: f is visible inside its own body.
			b.declare(s, s.Names[0])
			b.function(s.Exprs[0].(*ast.FunctionExpr), false)
			return
		}
		b.exprs(s.Exprs)
		for i, n := range s.Names {
			v := b.declare(s, n)
			if i < len(s.Exprs) {
				v.decl = s.Exprs[i]
			}
		}
	case *ast.AssignStmt:
		b.exprs(s.Lhs)
		b.exprs(s.Rhs)
		for _, l := range s.Lhs {
			if id, ok := l.(*ast.IdentExpr); ok {
				b.p.identVar(id).stores++
			}
		}
	case *ast.FuncCallStmt:
		b.expr(s.Expr)
	case *ast.DoBlockStmt:
		b.scoped(s.Stmts)
	case *ast.WhileStmt:
		b.expr(s.Condition)
		b.scoped(s.Stmts)
	case *ast.RepeatStmt:
		// The condition sees the body's locals.
		b.push()
		b.block(s.Stmts)
		b.expr(s.Condition)
		b.pop()
	case *ast.IfStmt:
		b.expr(s.Condition)
		b.scoped(s.Then)
		b.scoped(s.Else)
	case *ast.NumberForStmt:
		b.expr(s.Init)
		b.expr(s.Limit)
		if s.Step != nil {
			b.expr(s.Step)
		}
		b.push()
		b.declare(s, s.Name).stores++
		b.block(s.Stmts)
		b.pop()
	case *ast.GenericForStmt:
		b.exprs(s.Exprs)
		b.push()
		for _, n := range s.Names {
			b.declare(s, n).stores++
		}
		b.block(s.Stmts)
		b.pop()
	case *ast.FuncDefStmt:
		if s.Name.Func != nil {
			b.expr(s.Name.Func)
			if id, ok := s.Name.Func.(*ast.IdentExpr); ok {
				b.p.identVar(id).stores++
			}
			b.function(s.Func, false)
		} else {
			b.expr(s.Name.Receiver)
			b.function(s.Func, true)
		}
	case *ast.ReturnStmt:
		b.exprs(s.Exprs)
	}
}

// isLocalFunction tells "local function f" from "local f = function": only
// the first makes f visible in the body. The AST is the same; the tokens
// differ.
func (b *binder) isLocalFunction(s *ast.LocalAssignStmt) bool {
	if len(s.Names) != 1 || len(s.Exprs) != 1 {
		return false
	}
	if _, ok := s.Exprs[0].(*ast.FunctionExpr); !ok {
		return false
	}
	return b.p.f.LocalFuncs[s]
}

func (b *binder) function(fn *ast.FunctionExpr, method bool) {
	b.push()
	if method {
		b.declare(fn, "self").stores++
	}
	for _, n := range fn.ParList.Names {
		b.declare(fn, n).stores++
	}
	b.block(fn.Stmts)
	b.pop()
}

func (b *binder) exprs(es []ast.Expr) {
	for _, e := range es {
		b.expr(e)
	}
}

func (b *binder) expr(e ast.Expr) {
	switch e := e.(type) {
	case *ast.IdentExpr:
		b.p.exprs[exprID(e)].ident = b.lookup(e.Value)
	case *ast.AttrGetExpr:
		b.expr(e.Object)
		b.expr(e.Key)
	case *ast.TableExpr:
		for _, f := range e.Fields {
			if f.Key != nil {
				b.expr(f.Key)
			}
			b.expr(f.Value)
		}
	case *ast.FuncCallExpr:
		if e.Func != nil {
			b.expr(e.Func)
		} else {
			b.expr(e.Receiver)
		}
		b.exprs(e.Args)
	case *ast.LogicalOpExpr:
		b.expr(e.Lhs)
		b.expr(e.Rhs)
	case *ast.RelationalOpExpr:
		b.expr(e.Lhs)
		b.expr(e.Rhs)
	case *ast.StringConcatOpExpr:
		b.expr(e.Lhs)
		b.expr(e.Rhs)
	case *ast.ArithmeticOpExpr:
		b.expr(e.Lhs)
		b.expr(e.Rhs)
	case *ast.UnaryMinusOpExpr:
		b.expr(e.Expr)
	case *ast.UnaryNotOpExpr:
		b.expr(e.Expr)
	case *ast.UnaryLenOpExpr:
		b.expr(e.Expr)
	case *ast.FunctionExpr:
		b.function(e, false)
	}
}
