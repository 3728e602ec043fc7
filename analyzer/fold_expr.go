package analyzer

import (
	"strings"

	"github.com/yuin/gopher-lua/ast"
)

// maxFoldDepth bounds how far Folds follows locals and calls, for the
// stack: answers are kept per expression, so the work is linear in the
// size of the file however often a local is used.
const maxFoldDepth = 2048

// Folds reports whether e is a constant built only from literals, with
// the forms a reviewer can evaluate by reading: concatenation and
// arithmetic of constants, string library calls (string.f(s, ...) or
// s:f(...)) and table.concat of constants, table constructors of
// constants, and locals assigned once and never modified. A parameter or
// a global never folds, even when every caller passes a constant.
func (p *Pass) Folds(e ast.Expr) bool {
	return p.prog.folds(e, 0)
}

func (p *program) folds(e ast.Expr, depth int) bool {
	if depth > maxFoldDepth {
		return false
	}
	id := exprID(e)
	if id < 0 || id >= len(p.exprs) {
		return p.foldsOnce(e, depth)
	}
	// Kept: a local used twice in the initialiser of the next one, over a
	// chain of such locals, would otherwise be checked an exponential
	// number of times.
	st := &p.exprs[id]
	if st.foldEpoch != p.foldEpoch {
		ok := p.foldsOnce(e, depth)
		st = &p.exprs[id]
		st.foldEpoch, st.foldOK = p.foldEpoch, ok
	}
	return st.foldOK
}

func (p *program) foldsOnce(e ast.Expr, depth int) bool {
	switch e := e.(type) {
	case *ast.StringExpr, *ast.NumberExpr:
		return true
	case *ast.StringConcatOpExpr:
		return p.folds(e.Lhs, depth+1) && p.folds(e.Rhs, depth+1)
	case *ast.ArithmeticOpExpr:
		return p.folds(e.Lhs, depth+1) && p.folds(e.Rhs, depth+1)
	case *ast.UnaryMinusOpExpr:
		return p.folds(e.Expr, depth+1)
	case *ast.IdentExpr:
		v := p.identVar(e)
		if v == nil || v.Global || v.stores > 0 || v.decl == nil {
			return false
		}
		return p.folds(v.decl, depth+1)
	case *ast.TableExpr:
		if id := exprID(e); id >= 0 && id < len(p.exprs) && p.exprs[id].table != nil && p.exprs[id].table.mutated {
			return false
		}
		for _, f := range e.Fields {
			if f.Key != nil && !p.folds(f.Key, depth+1) {
				return false
			}
			if !p.folds(f.Value, depth+1) {
				return false
			}
		}
		return true
	case *ast.FuncCallExpr:
		var args []ast.Expr
		if e.Func != nil {
			callee := p.valOf(e.Func)
			if callee == nil || callee.Empty() {
				return false
			}
			for _, v := range callee.Values() {
				if v.Kind != KLib || !(strings.HasPrefix(v.Str, "string.") || v.Str == "table.concat") {
					return false
				}
			}
			args = e.Args
		} else {
			if !p.folds(e.Receiver, depth+1) {
				return false
			}
			args = e.Args
		}
		for _, a := range args {
			if !p.folds(a, depth+1) {
				return false
			}
		}
		if _, ok := p.valOf(e).ConstString(); !ok {
			return false
		}
		return true
	}
	return false
}
