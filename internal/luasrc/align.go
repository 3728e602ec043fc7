package luasrc

import (
	"fmt"

	"github.com/yuin/gopher-lua/ast"
)

// matchTokens pairs brackets and block keywords: match[i] is the index of
// the token that closes the opener at i (")" for "(", "end" for "function",
// "if", "while", "for", "do"; "until" for "repeat"), or -1. It also enforces
// LuaJIT's nesting limit. It reuses buf's room.
func matchTokens(toks []Token, buf []int32) ([]int32, *Error) {
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
		case TkOp:
			switch t.Value {
			case "(", "[", "{":
				stack, pushed = append(stack, open{idx: i, isBracket: true}), true
			case ")", "]", "}":
				if n := len(stack); n > 0 && stack[n-1].isBracket {
					match[stack[n-1].idx] = int32(i)
					stack = stack[:n-1]
				}
			}
		case TkKeyword:
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
			return nil, &Error{Offset: t.Start, End: t.End, Msg: fmt.Sprintf("nesting deeper than %d levels: LuaJIT rejects this chunk (too many syntax levels)", maxSyntaxLevel)}
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

func (f *File) align(match []int32, buf *Buffers) (serr *Error) {
	// There are fewer expressions than tokens.
	f.Spans = reuse(buf.Spans, len(f.Tokens))
	f.Strs = reuse(buf.Strs, len(f.Tokens))
	a := &aligner{f: f, match: match}
	defer func() {
		if r := recover(); r != nil {
			ea, ok := r.(errAlign)
			if !ok {
				panic(r)
			}
			off := 0
			if a.cur < len(f.Tokens) {
				off = f.Tokens[a.cur].Start
			}
			serr = &Error{Offset: off, Msg: ea.msg}
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
func (a *aligner) find(kind TokKind, value string, anyValue bool) int {
	toks := a.f.Tokens
	for i := a.cur; i < len(toks) && toks[i].Kind != TkEOF; i++ {
		if toks[i].Kind == kind && (anyValue || toks[i].Value == value) {
			a.cur = i + 1
			return i
		}
	}
	var what string
	switch kind {
	case TkName:
		what = "name " + value
	case TkKeyword:
		what = "keyword " + value
	case TkOp:
		what = "'" + value + "'"
	case TkNumber:
		what = "number"
	default:
		what = "string"
	}
	a.fail("internal error: cannot locate %s in the token stream", what)
	return -1
}

func (a *aligner) findName(name string) int { return a.find(TkName, name, false) }

func (a *aligner) findKeyword(kw string) int { return a.find(TkKeyword, kw, false) }

func (a *aligner) findOp(op string) int { return a.find(TkOp, op, false) }

// peekSkipping returns the index of the next token at or after cur that is
// not a closing parenthesis (parentheses around expressions are not in the
// AST).
func (a *aligner) peekSkippingParens() int {
	i := a.cur
	for i < len(a.f.Tokens) && a.f.Tokens[i].Kind == TkOp && a.f.Tokens[i].Value == ")" {
		i++
	}
	if i >= len(a.f.Tokens) {
		a.fail("internal error: unexpected end of tokens")
	}
	return i
}

func (a *aligner) closing(open int) int {
	c := int(a.match[open])
	if c < 0 {
		a.fail("internal error: unbalanced '%s'", a.f.Tokens[open].Value)
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
		toks := a.f.Tokens
		if local+1 < len(toks) && toks[local+1].Kind == TkKeyword && toks[local+1].Value == "function" && len(s.Exprs) == 1 {
			fn, ok := s.Exprs[0].(*ast.FunctionExpr)
			if !ok {
				a.fail("internal error: local function without a function")
			}
			kw := a.findKeyword("function")
			a.findName(s.Names[0])
			if a.f.LocalFuncs == nil {
				a.f.LocalFuncs = map[*ast.LocalAssignStmt]bool{}
			}
			a.f.LocalFuncs[s] = true
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
func (a *aligner) set(n ast.Expr, first, last int) Span {
	sp := Span{first, last}
	// Each node is visited once (a parenthesised expression is its inner
	// node, not a second one); the parser's own LastLine is overwritten.
	n.SetLastLine(len(a.f.Spans) + 1)
	a.f.Spans = append(a.f.Spans, sp)
	a.f.Strs = append(a.f.Strs, "")
	return sp
}

// setStr records the decoded value of string literal e (after set).
func (a *aligner) setStr(e *ast.StringExpr, v string) {
	a.f.Strs[ExprID(e)] = v
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
func (a *aligner) expr(e ast.Expr) Span {
	a.enter()
	sp := a.exprNode(e)
	a.leave()
	return sp
}

func (a *aligner) exprNode(e ast.Expr) Span {
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
		i := a.find(TkNumber, "", true)
		return a.set(e, i, i)
	case *ast.StringExpr:
		i := a.find(TkString, "", true)
		sp := a.set(e, i, i)
		a.setStr(e, a.f.Tokens[i].Value)
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
		t := a.f.Tokens[next]
		if t.Kind == TkOp && t.Value == "." {
			a.cur = next + 1
			key, ok := e.Key.(*ast.StringExpr)
			if !ok {
				a.fail("internal error: field key is not a name")
			}
			i := a.findName(key.Value)
			a.set(key, i, i)
			a.setStr(key, key.Value)
			return a.set(e, obj.First, i)
		}
		if t.Kind != TkOp || t.Value != "[" {
			a.fail("internal error: expected '.' or '[' after indexed expression")
		}
		a.cur = next + 1
		a.expr(e.Key)
		closeIdx := a.closing(next)
		a.cur = closeIdx + 1
		return a.set(e, obj.First, closeIdx)
	case *ast.TableExpr:
		open := a.findOp("{")
		for _, fld := range e.Fields {
			if fld.Key != nil {
				k := a.cur
				for a.f.Tokens[k].Kind == TkOp && (a.f.Tokens[k].Value == "," || a.f.Tokens[k].Value == ";") {
					k++
				}
				t := a.f.Tokens[k]
				if t.Kind == TkOp && t.Value == "[" {
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
			first = a.expr(e.Func).First
		} else {
			first = a.expr(e.Receiver).First
			a.findOp(":")
			a.findName(e.Method)
		}
		next := a.peekSkippingParens()
		t := a.f.Tokens[next]
		switch {
		case t.Kind == TkOp && t.Value == "(":
			a.cur = next + 1
			a.exprs(e.Args)
			closeIdx := a.closing(next)
			a.cur = closeIdx + 1
			return a.set(e, first, closeIdx)
		case len(e.Args) == 1:
			last := a.expr(e.Args[0]).Last
			return a.set(e, first, last)
		default:
			a.fail("internal error: call without arguments")
		}
	case *ast.LogicalOpExpr:
		l := a.expr(e.Lhs)
		r := a.expr(e.Rhs)
		return a.set(e, l.First, r.Last)
	case *ast.RelationalOpExpr:
		l := a.expr(e.Lhs)
		r := a.expr(e.Rhs)
		return a.set(e, l.First, r.Last)
	case *ast.StringConcatOpExpr:
		l := a.expr(e.Lhs)
		r := a.expr(e.Rhs)
		return a.set(e, l.First, r.Last)
	case *ast.ArithmeticOpExpr:
		l := a.expr(e.Lhs)
		r := a.expr(e.Rhs)
		return a.set(e, l.First, r.Last)
	case *ast.UnaryMinusOpExpr:
		return a.unary(e, e.Expr)
	case *ast.UnaryNotOpExpr:
		return a.unary(e, e.Expr)
	case *ast.UnaryLenOpExpr:
		return a.unary(e, e.Expr)
	case *ast.FunctionExpr:
		kw := a.findKeyword("function")
		a.funcBody(e, kw)
		return a.f.Spans[ExprID(e)]
	default:
		a.fail("internal error: unknown expression %T", e)
	}
	return Span{}
}

// unary starts at the operator, found by walking back from the operand
// over opening parentheses.
func (a *aligner) unary(e, operand ast.Expr) Span {
	sp := a.expr(operand)
	first := sp.First
	for i := sp.First - 1; i >= 0; i-- {
		t := a.f.Tokens[i]
		if t.Kind == TkOp && t.Value == "(" {
			continue
		}
		if (t.Kind == TkOp && (t.Value == "-" || t.Value == "#")) || (t.Kind == TkKeyword && t.Value == "not") {
			first = i
		}
		break
	}
	return a.set(e, first, sp.Last)
}
