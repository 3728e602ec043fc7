package analyzer

import (
	"fmt"

	"github.com/yuin/gopher-lua/ast"
)

// matchTokens pairs brackets and block keywords: match[i] is the index of
// the token that closes the opener at i (")" for "(", "end" for "function",
// "if", "while", "for", "do"; "until" for "repeat"), or -1. It also enforces
// LuaJIT's nesting limit. It reuses buf's room.
func matchTokens(toks []token, buf []int32) ([]int32, *sourceError) {
	match := reuse(buf, len(toks))[:len(toks)]
	type open struct {
		idx       int
		awaitDo   bool // "while" and "for" own the "do" that follows them
		isBracket bool
	}
	stack := make([]open, 0, 32)
	for i := range toks {
		t := &toks[i]
		match[i] = -1
		pushed := false
		switch t.Kind {
		case tkOp:
			switch t.Value {
			case "(", "[", "{":
				stack, pushed = append(stack, open{idx: i, isBracket: true}), true
			case ")", "]", "}":
				if n := len(stack); n > 0 && stack[n-1].isBracket {
					match[stack[n-1].idx] = int32(i)
					stack = stack[:n-1]
				}
			}
		case tkKeyword:
			switch t.Value {
			case "function", "if", "repeat":
				stack, pushed = append(stack, open{idx: i}), true
			case "while", "for":
				stack, pushed = append(stack, open{idx: i, awaitDo: true}), true
			case "do":
				if n := len(stack); n > 0 && stack[n-1].awaitDo {
					stack[n-1].awaitDo = false
				} else {
					stack, pushed = append(stack, open{idx: i}), true
				}
			case "end", "until":
				if n := len(stack); n > 0 && !stack[n-1].isBracket {
					match[stack[n-1].idx] = int32(i)
					stack = stack[:n-1]
				}
			}
		}
		if pushed && len(stack) > maxSyntaxLevel {
			return nil, &sourceError{Offset: t.Start, End: t.End, Msg: fmt.Sprintf("nesting deeper than %d levels: LuaJIT rejects this chunk (too many syntax levels)", maxSyntaxLevel)}
		}
	}
	return match, nil
}

// aligner walks the AST in source order and assigns each node the tokens it
// covers. gopher-lua builds its AST in source order, so every leaf (name,
// literal, keyword) is the next token of its kind after the previous leaf.
type aligner struct {
	f     *File
	match []int32
	cur   int
	depth int
}

// errAlign stops the walk; it should never happen on a file gopher-lua
// parsed, but hostile input must not turn a mismatch into a panic.
type errAlign struct{ msg string }

func (f *File) align(match []int32, buf *buffers) (serr *sourceError) {
	// There are fewer expressions than tokens.
	f.spans = reuse(buf.spans, len(f.tokens))
	f.strs = reuse(buf.strs, len(f.tokens))
	a := &aligner{f: f, match: match}
	defer func() {
		if r := recover(); r != nil {
			ea, ok := r.(errAlign)
			if !ok {
				panic(r)
			}
			off := 0
			if a.cur < len(f.tokens) {
				off = f.tokens[a.cur].Start
			}
			serr = &sourceError{Offset: off, Msg: ea.msg}
		}
	}()
	a.block(f.Chunk)
	return nil
}

func (a *aligner) fail(format string, args ...any) {
	panic(errAlign{msg: fmt.Sprintf(format, args...)})
}

func (a *aligner) enter() {
	a.depth++
	if a.depth > maxTreeDepth {
		a.fail("expression nested more than %d levels deep: too deep to verify", maxTreeDepth)
	}
}

func (a *aligner) leave() { a.depth-- }

// find advances to the next token of kind (with text value, unless
// anyValue) and returns its index. It runs for every leaf of the AST, so
// it takes no closure and builds no message unless it fails.
func (a *aligner) find(kind tokKind, value string, anyValue bool) int {
	toks := a.f.tokens
	for i := a.cur; i < len(toks) && toks[i].Kind != tkEOF; i++ {
		if toks[i].Kind == kind && (anyValue || toks[i].Value == value) {
			a.cur = i + 1
			return i
		}
	}
	var what string
	switch kind {
	case tkName:
		what = "name " + value
	case tkKeyword:
		what = "keyword " + value
	case tkOp:
		what = "'" + value + "'"
	case tkNumber:
		what = "number"
	default:
		what = "string"
	}
	a.fail("internal error: cannot locate %s in the token stream", what)
	return -1
}

func (a *aligner) findName(name string) int { return a.find(tkName, name, false) }

func (a *aligner) findKeyword(kw string) int { return a.find(tkKeyword, kw, false) }

func (a *aligner) findOp(op string) int { return a.find(tkOp, op, false) }

// peekSkipping returns the index of the next token at or after cur that is
// not a closing parenthesis (parentheses around expressions are not in the
// AST).
func (a *aligner) peekSkippingParens() int {
	i := a.cur
	for i < len(a.f.tokens) && a.f.tokens[i].Kind == tkOp && a.f.tokens[i].Value == ")" {
		i++
	}
	if i >= len(a.f.tokens) {
		a.fail("internal error: unexpected end of tokens")
	}
	return i
}

func (a *aligner) closing(open int) int {
	c := int(a.match[open])
	if c < 0 {
		a.fail("internal error: unbalanced '%s'", a.f.tokens[open].Value)
	}
	return c
}

func (a *aligner) block(stmts []ast.Stmt) {
	for _, s := range stmts {
		a.stmt(s)
	}
}

// stmt aligns one statement. A failure unwinds the whole walk, so depth
// needs no deferred restore (a defer in a function with this many returns
// is not open-coded, and runs through the runtime's slow path).
func (a *aligner) stmt(s ast.Stmt) {
	a.enter()
	a.stmtNode(s)
	a.leave()
}

func (a *aligner) stmtNode(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.AssignStmt:
		a.exprs(s.Lhs)
		a.exprs(s.Rhs)
	case *ast.LocalAssignStmt:
		local := a.findKeyword("local")
		toks := a.f.tokens
		if local+1 < len(toks) && toks[local+1].Kind == tkKeyword && toks[local+1].Value == "function" && len(s.Exprs) == 1 {
			fn, ok := s.Exprs[0].(*ast.FunctionExpr)
			if !ok {
				a.fail("internal error: local function without a function")
			}
			kw := a.findKeyword("function")
			a.findName(s.Names[0])
			if a.f.localFuncs == nil {
				a.f.localFuncs = map[*ast.LocalAssignStmt]bool{}
			}
			a.f.localFuncs[s] = true
			a.funcBody(fn, kw)
			return
		}
		for _, n := range s.Names {
			a.findName(n)
		}
		a.exprs(s.Exprs)
	case *ast.FuncCallStmt:
		a.expr(s.Expr)
	case *ast.DoBlockStmt:
		a.block(s.Stmts)
	case *ast.WhileStmt:
		a.expr(s.Condition)
		a.block(s.Stmts)
	case *ast.RepeatStmt:
		a.block(s.Stmts)
		a.expr(s.Condition)
	case *ast.IfStmt:
		a.expr(s.Condition)
		a.block(s.Then)
		a.block(s.Else)
	case *ast.NumberForStmt:
		a.findName(s.Name)
		a.expr(s.Init)
		a.expr(s.Limit)
		if s.Step != nil {
			a.expr(s.Step)
		}
		a.block(s.Stmts)
	case *ast.GenericForStmt:
		for _, n := range s.Names {
			a.findName(n)
		}
		a.exprs(s.Exprs)
		a.block(s.Stmts)
	case *ast.FuncDefStmt:
		kw := a.findKeyword("function")
		if s.Name.Func != nil {
			a.expr(s.Name.Func)
		} else {
			a.expr(s.Name.Receiver)
			a.findOp(":")
			a.findName(s.Name.Method)
		}
		a.funcBody(s.Func, kw)
	case *ast.ReturnStmt:
		a.exprs(s.Exprs)
	case *ast.BreakStmt:
	case *ast.LabelStmt:
		a.findName(s.Name)
	case *ast.GotoStmt:
		a.findName(s.Label)
	default:
		a.fail("internal error: unknown statement %T", s)
	}
}

func (a *aligner) exprs(es []ast.Expr) {
	for _, e := range es {
		a.expr(e)
	}
}

// set records the tokens of expression n and gives it its id.
func (a *aligner) set(n ast.Expr, first, last int) span {
	sp := span{first, last}
	// Each node is visited once (a parenthesised expression is its inner
	// node, not a second one); the parser's own LastLine is overwritten.
	n.SetLastLine(len(a.f.spans) + 1)
	a.f.spans = append(a.f.spans, sp)
	a.f.strs = append(a.f.strs, "")
	return sp
}

// setStr records the decoded value of string literal e (after set).
func (a *aligner) setStr(e *ast.StringExpr, v string) {
	a.f.strs[exprID(e)] = v
}

// funcBody aligns parameters and body of fn whose "function" keyword is at
// token kw.
func (a *aligner) funcBody(fn *ast.FunctionExpr, kw int) {
	a.findOp("(")
	for _, n := range fn.ParList.Names {
		a.findName(n)
	}
	a.block(fn.Stmts)
	end := a.closing(kw)
	a.cur = end + 1
	a.set(fn, kw, end)
}

// expr aligns one expression and returns its tokens; as in stmt, no defer.
func (a *aligner) expr(e ast.Expr) span {
	a.enter()
	sp := a.exprNode(e)
	a.leave()
	return sp
}

func (a *aligner) exprNode(e ast.Expr) span {
	switch e := e.(type) {
	case *ast.NilExpr:
		i := a.findKeyword("nil")
		return a.set(e, i, i)
	case *ast.TrueExpr:
		i := a.findKeyword("true")
		return a.set(e, i, i)
	case *ast.FalseExpr:
		i := a.findKeyword("false")
		return a.set(e, i, i)
	case *ast.NumberExpr:
		i := a.find(tkNumber, "", true)
		return a.set(e, i, i)
	case *ast.StringExpr:
		i := a.find(tkString, "", true)
		sp := a.set(e, i, i)
		a.setStr(e, a.f.tokens[i].Value)
		return sp
	case *ast.Comma3Expr:
		i := a.findOp("...")
		return a.set(e, i, i)
	case *ast.IdentExpr:
		i := a.findName(e.Value)
		return a.set(e, i, i)
	case *ast.AttrGetExpr:
		obj := a.expr(e.Object)
		next := a.peekSkippingParens()
		t := a.f.tokens[next]
		if t.Kind == tkOp && t.Value == "." {
			a.cur = next + 1
			key, ok := e.Key.(*ast.StringExpr)
			if !ok {
				a.fail("internal error: field key is not a name")
			}
			i := a.findName(key.Value)
			a.set(key, i, i)
			a.setStr(key, key.Value)
			return a.set(e, obj.first, i)
		}
		if t.Kind != tkOp || t.Value != "[" {
			a.fail("internal error: expected '.' or '[' after indexed expression")
		}
		a.cur = next + 1
		a.expr(e.Key)
		closeIdx := a.closing(next)
		a.cur = closeIdx + 1
		return a.set(e, obj.first, closeIdx)
	case *ast.TableExpr:
		open := a.findOp("{")
		for _, fld := range e.Fields {
			if fld.Key != nil {
				k := a.cur
				for a.f.tokens[k].Kind == tkOp && (a.f.tokens[k].Value == "," || a.f.tokens[k].Value == ";") {
					k++
				}
				t := a.f.tokens[k]
				if t.Kind == tkOp && t.Value == "[" {
					open := k
					a.cur = k
					a.cur++
					a.expr(fld.Key)
					a.cur = a.closing(open) + 1
				} else {
					key, ok := fld.Key.(*ast.StringExpr)
					if !ok {
						a.fail("internal error: table key is not a name")
					}
					i := a.findName(key.Value)
					a.set(key, i, i)
					a.setStr(key, key.Value)
				}
			}
			a.expr(fld.Value)
		}
		closeIdx := a.closing(open)
		a.cur = closeIdx + 1
		return a.set(e, open, closeIdx)
	case *ast.FuncCallExpr:
		var first int
		if e.Func != nil {
			first = a.expr(e.Func).first
		} else {
			first = a.expr(e.Receiver).first
			a.findOp(":")
			a.findName(e.Method)
		}
		next := a.peekSkippingParens()
		t := a.f.tokens[next]
		switch {
		case t.Kind == tkOp && t.Value == "(":
			a.cur = next + 1
			a.exprs(e.Args)
			closeIdx := a.closing(next)
			a.cur = closeIdx + 1
			return a.set(e, first, closeIdx)
		case len(e.Args) == 1:
			last := a.expr(e.Args[0]).last
			return a.set(e, first, last)
		default:
			a.fail("internal error: call without arguments")
		}
	case *ast.LogicalOpExpr:
		l := a.expr(e.Lhs)
		r := a.expr(e.Rhs)
		return a.set(e, l.first, r.last)
	case *ast.RelationalOpExpr:
		l := a.expr(e.Lhs)
		r := a.expr(e.Rhs)
		return a.set(e, l.first, r.last)
	case *ast.StringConcatOpExpr:
		l := a.expr(e.Lhs)
		r := a.expr(e.Rhs)
		return a.set(e, l.first, r.last)
	case *ast.ArithmeticOpExpr:
		l := a.expr(e.Lhs)
		r := a.expr(e.Rhs)
		return a.set(e, l.first, r.last)
	case *ast.UnaryMinusOpExpr:
		return a.unary(e, e.Expr)
	case *ast.UnaryNotOpExpr:
		return a.unary(e, e.Expr)
	case *ast.UnaryLenOpExpr:
		return a.unary(e, e.Expr)
	case *ast.FunctionExpr:
		kw := a.findKeyword("function")
		a.funcBody(e, kw)
		return a.f.spans[exprID(e)]
	default:
		a.fail("internal error: unknown expression %T", e)
	}
	return span{}
}

// unary starts at the operator, found by walking back from the operand
// over opening parentheses.
func (a *aligner) unary(e, operand ast.Expr) span {
	sp := a.expr(operand)
	first := sp.first
	for i := sp.first - 1; i >= 0; i-- {
		t := a.f.tokens[i]
		if t.Kind == tkOp && t.Value == "(" {
			continue
		}
		if (t.Kind == tkOp && (t.Value == "-" || t.Value == "#")) || (t.Kind == tkKeyword && t.Value == "not") {
			first = i
		}
		break
	}
	return a.set(e, first, sp.last)
}
