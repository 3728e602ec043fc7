package analyzer

import (
	"strconv"
	"strings"

	"github.com/yuin/gopher-lua/ast"
)

// Implicit flows: data that leaves without being copied. A script can
// rebuild a secret without ever passing it to a sink, by testing it piece
// by piece (if secret:byte(i) == c then out = out .. string.char(c) end),
// or by turning it into a size (#string.rep("a", secret:byte(i))). Ordinary
// scripts test whole values against constants all the time (#body > 0,
// status == 200, os.getenv("DEBUG") == "1"), and those tests must stay
// sanitizers; what tells the exfiltration apart is that it tests a *piece*
// of the data chosen at run time, or a secret against a candidate that
// varies. The rule of thumb, documented in docs/architecture.md:
//
//   - a piece: string.byte/sub with an index that is not constant,
//     string.find/match with a start that is not constant (or, for
//     hard-coded secrets and environment values, a pattern that is not),
//     string.gmatch with a fixed-size pattern. Its result keeps the data's
//     sources as PartPiece as well.
//   - a size: string.rep's count and string.sub's bounds keep their
//     sources as PartLength in the result; #x and string.len reveal those
//     (as PartPiece) and what a branch taught the table or string
//     (PartImplicit), and drop the rest, so #body stays clean.
//   - a test: a comparison or not whose operand holds a piece (or what
//     an earlier test revealed), or that compares a hard-coded secret or
//     an environment value with a candidate that varies, yields a boolean
//     carrying the sources as PartChosen: data, but not a length.
//   - a branch: the statements an if, while or repeat condition holding
//     PartPiece, PartChosen or PartImplicit taint controls (a numeric for whose
//     bounds hold any taint, too) run under that taint (PartImplicit,
//     which lengths keep: how much was written is data): what they assign,
//     return or pass to a call carries it, so the ordinary sink rules
//     (WL501-WL503) report it where it leaves. A break, goto or return in
//     such a branch extends the control to the enclosing loop or
//     function; a script function called there runs under it as well.
//
// Everything is monotone and bounded (maxCtrl sources in a region), so the
// fixed point is reached as before.

// Part says how much of the data a source's value holds.
type Part uint8

// Parts of data.
const (
	// PartWhole is the data itself, or a copy or transformation of it.
	PartWhole Part = iota
	// PartPiece is a piece chosen at run time: a byte or character at a
	// computed index, a match at a computed position.
	PartPiece
	// PartLength is a string whose length is data (string.rep's count).
	PartLength
	// PartImplicit is what was written, returned or passed on because a
	// test of a piece let it (a controlled branch); Via is the test's
	// line. How much was written is data too: lengths keep it.
	PartImplicit
	// PartChosen is a value a test chose (its boolean, a constant picked
	// with and/or, select by a piece): what it says is data, but its
	// length is not (a base64 encoder appends "1" or "0" for each bit).
	PartChosen
)

// maxCtrl bounds the sources a controlled region carries.
const maxCtrl = 8

// varying reports whether a value may be something other than one
// constant known to the analysis (a loop counter, a computed candidate).
// Several constants vary too: s:byte(x) for x in {1, ..., 8} walks s.
// A nil beside one constant (an optional argument) does not.
func varying(s *ValueSet) bool {
	n := 0
	for _, v := range s.Values() {
		switch v.Kind {
		case KUnknown, KShape:
			return true
		case KNil:
		default:
			n++
		}
	}
	return n > 1
}

// secretKind reports whether a kind is a secret of the script's own: a
// hard-coded credential or an environment value.
func secretKind(k TaintKind) bool { return k == TaintSecret || k == TaintEnv || k == TaintCredFile }

// addPart adds to dst every source of srcs that keep accepts, as part to
// (with via, for a tested part; a source a test revealed already keeps
// that test's line).
func addPart(dst *ValueSet, srcs []Source, keep func(Source) bool, to Part, via int) {
	for _, t := range srcs {
		if !keep(t) {
			continue
		}
		if tested(t.Part) && tested(to) {
			t.Part = to // the first test keeps its line
			dst.addTaint(t)
			continue
		}
		t.Part, t.Via = to, 0
		if tested(to) {
			t.Via = via
		}
		dst.addTaint(t)
	}
}

func isWhole(t Source) bool { return t.Part == PartWhole }

func isSecretWhole(t Source) bool { return t.Part == PartWhole && secretKind(t.Kind) }

// revealing reports whether a source, in a condition, tells the branch
// something about a piece of the data.
func revealing(t Source) bool { return t.Part == PartPiece || tested(t.Part) }

// tested reports whether a part is what a test revealed.
func tested(p Part) bool { return p == PartImplicit || p == PartChosen }

// pieceTaint adds the piece and length sources of a string function's
// result (see the comment at the top of the file).
func (p *program) pieceTaint(e *ast.FuncCallExpr, path string, out *ValueSet, args []*ValueSet) {
	subject := argOr(args, 0)
	switch path {
	case "string.byte":
		// s:byte(1) is one fixed byte (s:byte(1) == 123 tests for JSON);
		// s:byte(i), s:byte(1, -1) hand out bytes one by one.
		i, j := argOr(args, 1), argOr(args, 2)
		if varying(i) || varying(j) || (len(args) > 2 && !sameConst(i, j)) {
			addPart(out, p.deepTaint(subject), isWhole, PartPiece, 0)
		}
	case "string.sub":
		if varying(argOr(args, 1)) || varying(argOr(args, 2)) {
			addPart(out, p.deepTaint(subject), isWhole, PartPiece, 0)
		}
		// s:sub(1, n) is n long and s:sub(n) #s - n + 1: their lengths are
		// n's data. With both bounds computed (s:sub(c, c), a window) the
		// length is not what the data chose.
		i, j := argOr(args, 1), argOr(args, 2)
		switch {
		case len(i.Taint()) == 0:
			addPart(out, j.Taint(), anySource, PartLength, 0)
		case len(j.Taint()) == 0:
			addPart(out, i.Taint(), anySource, PartLength, 0)
		}
	case "string.find", "string.match":
		p.searchTaint(out, subject, argOr(args, 1), argOr(args, 2), p.candidate(patternExpr(e), argOr(args, 1)))
	case "string.gmatch":
		addPart(out, p.deepTaint(subject), func(t Source) bool { return walksPieces(argOr(args, 1), t) }, PartPiece, 0)
	case "string.rep":
		addPart(out, argOr(args, 1).Taint(), anySource, PartLength, 0)
	case "string.format":
		// ("%" .. b .. "s"):format(""): a width written into the format.
		addPart(out, argOr(args, 0).Taint(), keyRevealing, PartLength, 0)
	}
}

// searchTaint adds to out what a search of subject for pat (from init)
// tells of a piece: a search from a computed position, with an anchored
// pattern built at run time or for a candidate the script generates, and
// for a secret any pattern that varies. A search for one constant tells
// of the whole value, as # does.
func (p *program) searchTaint(out, subject, pat, init *ValueSet, generated bool) {
	srcs := p.deepTaint(subject)
	switch {
	case varying(init), anchoredShape(pat), generated:
		addPart(out, srcs, isWhole, PartPiece, 0)
	case varying(pat):
		addPart(out, srcs, isSecretWhole, PartPiece, 0)
	}
}

// gsubCount is the taint of gsub's second result, how often the pattern
// matched: a search like find's.
func (p *program) gsubCount(e *ast.FuncCallExpr, args []*ValueSet) *ValueSet {
	out := setOf(Value{Kind: KNumber})
	pat := argOr(args, 1)
	subject := argOr(args, 0)
	p.searchTaint(out, subject, pat, setOf(Value{Kind: KNil}), p.candidate(patternExpr(e), pat))
	// A count in a subject whose size is data (("."):rep(s:byte(i), ","))
	// measures it, as # does.
	for _, t := range p.deepTaint(subject) {
		if t.Part == PartLength {
			t.Part = PartPiece
			out.addTaint(t)
		}
	}
	return out
}

func anySource(Source) bool { return true }

// sameConst reports whether two sets are the same single constant.
func sameConst(a, b *ValueSet) bool {
	x, ok1 := a.ConstString()
	y, ok2 := b.ConstString()
	return ok1 && ok2 && x == y
}

// candidate reports whether a pattern or an operand (pat, written as e)
// is a candidate the script generates while it enumerates: text made from
// the counter of an enclosing numeric for (string.char(c),
// alphabet:sub(i, i) .. c, tostring(n), string.format("%04d", n)), from
// nothing external, so that one value of data meets many of them.
// Searches for the words of a list the script holds (error words, JSON
// field names, however many), for one value that came from outside (an
// expected string from the arguments) or for one built value per response
// (the request's id) are fixed tests: a reviewer reads what they look for.
func (p *program) candidate(e ast.Expr, pat *ValueSet) bool {
	if len(p.loops) == 0 || e == nil || len(pat.Taint()) > 0 {
		return false
	}
	if !pat.HasKind(KUnknown) && !pat.HasKind(KShape) {
		return false
	}
	return p.fromCounter(e, 0)
}

// fromCounter reports whether e computes text or a number from the
// counter of a numeric for being evaluated, through locals initialised
// once, concatenation, arithmetic and calls; an element of a table is a
// word of a list, not a counter.
func (p *program) fromCounter(e ast.Expr, depth int) bool {
	if depth > 16 {
		return false
	}
	switch e := e.(type) {
	case *ast.IdentExpr:
		v := p.identVar(e)
		if v == nil || v.Global {
			return false
		}
		if p.isCounter(v) {
			return true
		}
		return v.stores == 0 && v.decl != nil && p.fromCounter(v.decl, depth+1)
	case *ast.StringConcatOpExpr:
		return p.fromCounter(e.Lhs, depth+1) || p.fromCounter(e.Rhs, depth+1)
	case *ast.ArithmeticOpExpr:
		return p.fromCounter(e.Lhs, depth+1) || p.fromCounter(e.Rhs, depth+1)
	case *ast.FuncCallExpr:
		for _, a := range e.Args {
			if p.fromCounter(a, depth+1) {
				return true
			}
		}
	}
	return false
}

// isCounter reports whether v is the variable of a numeric for being
// evaluated that enumerates: a loop over a few literal values (for d = 1,
// 5) is a list of constants a reviewer reads, as the analysis keeps up to
// maxConstants of them.
func (p *program) isCounter(v *Var) bool {
	for _, s := range p.loops {
		switch s := s.(type) {
		case *ast.NumberForStmt:
			if fewRounds(s) {
				continue
			}
		case *ast.GenericForStmt:
			if !p.enumeratesChars(s) {
				continue
			}
		default:
			continue
		}
		for _, c := range p.decls[s] {
			if c == v {
				return true
			}
		}
	}
	return false
}

// enumeratesChars reports whether a generic for walks the characters of
// an alphabet the script holds (for ch in charset:gmatch(".")), which
// enumerates as a numeric for over string.char does: a pattern of fixed
// size over a subject with no data in it, longer than a few characters.
func (p *program) enumeratesChars(s *ast.GenericForStmt) bool {
	subject, pat, ok := p.gmatchLoop(s)
	if !ok {
		return false
	}
	ps, ok := p.valOf(pat).ConstString()
	if !ok || strings.ContainsAny(ps, "+*-") {
		return false
	}
	sv := p.valOf(subject)
	if sv == nil || len(p.deepTaint(sv)) > 0 {
		return false
	}
	// A few characters ("<>&") are a list a reviewer reads, as a numeric
	// for of a few literal rounds is.
	if strs, all := sv.ConstStrings(); all {
		for _, c := range strs {
			if len(c) <= maxConstants {
				return false
			}
		}
		return len(strs) > 0
	}
	return sv.HasKind(KUnknown) || sv.HasKind(KShape)
}

// fewRounds reports whether a numeric for has literal bounds (and step)
// and at most maxConstants rounds.
func fewRounds(nf *ast.NumberForStmt) bool {
	lit := func(e ast.Expr) (float64, bool) {
		n, ok := e.(*ast.NumberExpr)
		if !ok {
			return 0, false
		}
		f, err := strconv.ParseFloat(n.Value, 64)
		return f, err == nil
	}
	from, ok1 := lit(nf.Init)
	to, ok2 := lit(nf.Limit)
	step := 1.0
	if nf.Step != nil {
		var ok bool
		if step, ok = lit(nf.Step); !ok || step == 0 {
			return false
		}
	}
	if !ok1 || !ok2 {
		return false
	}
	return (to-from)/step+1 <= maxConstants
}

// patternExpr is the pattern argument of a string.find/match/gsub call,
// or nil.
func patternExpr(e *ast.FuncCallExpr) ast.Expr {
	if e == nil {
		return nil
	}
	i := 1
	if e.Receiver != nil {
		i = 0
	}
	if i < len(e.Args) {
		return e.Args[i]
	}
	return nil
}

// operandExpr is operand i of a comparison or a rawequal call, or nil.
func operandExpr(node ast.Expr, i int) ast.Expr {
	switch n := node.(type) {
	case *ast.RelationalOpExpr:
		if i == 0 {
			return n.Lhs
		}
		return n.Rhs
	case *ast.FuncCallExpr:
		if i < len(n.Args) {
			return n.Args[i]
		}
	}
	return nil
}

// anchoredShape reports whether a pattern is built at run time behind a
// constant "^": a search that grows a known prefix one guess at a time.
func anchoredShape(pat *ValueSet) bool {
	for _, v := range pat.Values() {
		if v.Kind == KShape {
			if pre, _ := v.Shape(); strings.HasPrefix(pre, "^") {
				return true
			}
		}
	}
	return false
}

// walksPieces reports whether gmatch or gsub with the pattern pat hands
// out pieces of data of source t: a fixed-size pattern (".", "%w", "(.)")
// walks it character by character; a pattern chosen at run time does for
// a secret. Lines and fields ("[^\n]+") are whole values.
func walksPieces(pat *ValueSet, t Source) bool {
	if t.Part != PartWhole {
		return false
	}
	if s, ok := pat.ConstString(); ok {
		return !strings.ContainsAny(s, "+*-")
	}
	return varying(pat) && secretKind(t.Kind)
}

// lengthTaint is the taint of a length of v: the sizes that are data
// (as pieces) and what tests taught it, nothing else.
func (p *program) lengthTaint(v *ValueSet) []Source {
	srcs := p.deepTaint(v)
	if len(srcs) == 0 {
		return nil
	}
	out := &ValueSet{}
	for _, t := range srcs {
		switch t.Part {
		case PartLength:
			t.Part = PartPiece
			out.addTaint(t)
		case PartImplicit:
			out.addTaint(t)
		}
	}
	return out.taint
}

// testTaint is the taint of a comparison's (or not's) boolean result:
// what the operands reveal of a piece, and a secret tested against a
// candidate that varies.
func (p *program) testTaint(node ast.Expr, operands ...*ValueSet) *ValueSet {
	var out *ValueSet
	line := 0
	add := func(srcs []Source, keep func(Source) bool) {
		for _, t := range srcs {
			if keep(t) {
				if out == nil {
					out = &ValueSet{}
					line = p.exprLine(node)
				}
				addPart(out, []Source{t}, anySource, PartChosen, line)
			}
		}
	}
	for i, o := range operands {
		add(o.Taint(), revealing)
		if len(operands) == 2 && varying(operands[i^1]) {
			// A candidate: anything but data of the same kind (a token
			// checked against another environment value is a check).
			other := operands[i^1].Taint()
			// Other data is tested the same way against candidates the
			// script generates (string.format("%04d", n)), not against a
			// list of its constants.
			candidate := isSecretWhole
			if p.candidate(operandExpr(node, i^1), operands[i^1]) {
				candidate = isWhole
			}
			add(o.Taint(), func(t Source) bool {
				if !candidate(t) {
					return false
				}
				for _, u := range other {
					if u.Kind == t.Kind {
						return false
					}
				}
				return true
			})
		}
	}
	return out
}

// condTaint is the control a condition gives the statements it guards:
// its revealing sources, as PartImplicit.
func (p *program) condTaint(cond ast.Expr, v *ValueSet) []Source {
	var out []Source
	for _, t := range v.Taint() {
		if !revealing(t) {
			continue
		}
		if t.Part == PartPiece {
			t.Via = p.exprLine(cond)
		}
		t.Part = PartImplicit
		out = append(out, t)
	}
	return out
}

// boundsTaint is the control the bounds of a numeric for give its body.
func boundsTaint(line int, bounds ...*ValueSet) []Source {
	var out []Source
	for _, b := range bounds {
		for _, t := range b.Taint() {
			// The body runs as many times as the bounds say, whatever
			// part of the data they hold.
			if !tested(t.Part) {
				t.Via = line
			}
			t.Part = PartImplicit
			out = append(out, t)
		}
	}
	return out
}

// controlled evaluates body with srcs added to the sources that control
// the statements being evaluated.
func (p *program) controlled(srcs []Source, body func()) {
	if len(srcs) == 0 {
		body()
		return
	}
	saved := p.ctrl
	ctrl := append([]Source(nil), saved...)
	for _, t := range srcs {
		if len(ctrl) >= maxCtrl {
			break
		}
		if !containsSource(ctrl, t) {
			ctrl = append(ctrl, t)
		}
	}
	p.ctrl = ctrl
	body()
	p.ctrl = saved
}

func containsSource(srcs []Source, t Source) bool {
	for _, s := range srcs {
		if s == t {
			return true
		}
	}
	return false
}

// withCtrl is vals with the controlling sources added (vals itself
// outside a controlled region).
func (p *program) withCtrl(vals *ValueSet) *ValueSet {
	if len(p.ctrl) == 0 {
		return vals
	}
	s := &ValueSet{}
	s.addAll(vals)
	for _, t := range p.ctrl {
		s.addTaint(t)
	}
	return s
}

// markCtrl records that the loop or function key runs under srcs from
// the next pass on.
func (p *program) markCtrl(key any, srcs []Source) {
	if key == nil || len(srcs) == 0 {
		return
	}
	if p.ctrlMarks == nil {
		p.ctrlMarks = map[any]*ValueSet{}
	}
	s, ok := p.ctrlMarks[key]
	if !ok {
		s = &ValueSet{}
		p.ctrlMarks[key] = s
	}
	for _, t := range srcs {
		if len(s.taint) < maxCtrl && s.addTaint(t) {
			p.changed = true
		}
	}
}

// marked returns the sources that control the loop or function key.
func (p *program) marked(key any) []Source {
	if s := p.ctrlMarks[key]; s != nil {
		return s.taint
	}
	return nil
}

// markExits extends a branch's control to what its exits skip: the
// innermost loop for a break, the function for a return, both for a
// goto.
func (p *program) markExits(stmts []ast.Stmt, srcs []Source) {
	var loop any
	if n := len(p.loops); n > 0 {
		loop = p.loops[n-1]
	}
	var fn any
	if p.curFunc != nil {
		fn = p.curFunc
	}
	brk, ret := exits(stmts)
	if brk {
		p.markCtrl(loop, srcs)
	}
	if ret {
		p.markCtrl(fn, srcs)
	}
}

// exits reports whether stmts break out of the enclosing loop, or return
// from (or jump within) the enclosing function. Nested loops keep their
// breaks; function bodies are not entered.
func exits(stmts []ast.Stmt) (brk, ret bool) {
	for _, s := range stmts {
		switch s := s.(type) {
		case *ast.BreakStmt:
			brk = true
		case *ast.ReturnStmt:
			ret = true
		case *ast.GotoStmt:
			brk, ret = true, true
		case *ast.IfStmt:
			b1, r1 := exits(s.Then)
			b2, r2 := exits(s.Else)
			brk, ret = brk || b1 || b2, ret || r1 || r2
		case *ast.DoBlockStmt:
			b, r := exits(s.Stmts)
			brk, ret = brk || b, ret || r
		case *ast.WhileStmt:
			_, r := exits(s.Stmts)
			ret = ret || r
		case *ast.RepeatStmt:
			_, r := exits(s.Stmts)
			ret = ret || r
		case *ast.NumberForStmt:
			_, r := exits(s.Stmts)
			ret = ret || r
		case *ast.GenericForStmt:
			_, r := exits(s.Stmts)
			ret = ret || r
		}
	}
	return brk, ret
}

// markCallees puts the script functions a call in a controlled region
// may call under the region's control: hit() in a tested branch runs
// because of the test.
func (p *program) markCallees(callee *ValueSet) {
	if len(p.ctrl) == 0 {
		return
	}
	for _, v := range callee.Values() {
		if v.Kind == KFunc {
			p.markCtrl(v.Func, p.ctrl)
		}
	}
}

// loop evaluates a loop's body under the control its exits and condition
// gave it.
func (p *program) loop(s ast.Stmt, srcs []Source, body func()) {
	p.loops = append(p.loops, s)
	p.controlled(append(srcs, p.marked(s)...), body)
	p.loops = p.loops[:len(p.loops)-1]
}

// accumulated is the value assigned to target by x = f(x, ...): pieces
// folded into an accumulator (a hash, a checksum, a copy built up) make
// a digest or a copy of the whole, no longer a piece that a test could
// read position by position; the sources stay, as whole data.
func (p *program) accumulated(target, value ast.Expr, vals *ValueSet) *ValueSet {
	id, ok := target.(*ast.IdentExpr)
	if !ok {
		return vals
	}
	hasPiece := false
	for _, t := range vals.Taint() {
		if t.Part == PartPiece {
			hasPiece = true
			break
		}
	}
	if !hasPiece || !readsVar(p, value, p.identVar(id)) {
		return vals
	}
	out := &ValueSet{}
	for _, v := range vals.Values() {
		out.add(v)
	}
	for _, t := range vals.Taint() {
		if t.Part == PartPiece {
			t.Part = PartWhole
		}
		out.addTaint(t)
	}
	return out
}

// readsVar reports whether e reads v (function bodies excluded).
func readsVar(p *program, e ast.Expr, v *Var) bool {
	if v == nil {
		return false
	}
	found := false
	walkExpr(e, func(x ast.Expr) bool {
		if id, ok := x.(*ast.IdentExpr); ok && p.identVar(id) == v {
			found = true
		}
		return !found
	})
	return found
}

// walkExpr calls f on e and its subexpressions, depth first, while f
// returns true; function bodies are not entered.
func walkExpr(e ast.Expr, f func(ast.Expr) bool) bool {
	if e == nil || !f(e) {
		return e == nil
	}
	switch e := e.(type) {
	case *ast.AttrGetExpr:
		return walkExpr(e.Object, f) && walkExpr(e.Key, f)
	case *ast.FuncCallExpr:
		if !walkExpr(e.Func, f) || !walkExpr(e.Receiver, f) {
			return false
		}
		for _, a := range e.Args {
			if !walkExpr(a, f) {
				return false
			}
		}
	case *ast.TableExpr:
		for _, fld := range e.Fields {
			if !walkExpr(fld.Key, f) || !walkExpr(fld.Value, f) {
				return false
			}
		}
	case *ast.LogicalOpExpr:
		return walkExpr(e.Lhs, f) && walkExpr(e.Rhs, f)
	case *ast.RelationalOpExpr:
		return walkExpr(e.Lhs, f) && walkExpr(e.Rhs, f)
	case *ast.StringConcatOpExpr:
		return walkExpr(e.Lhs, f) && walkExpr(e.Rhs, f)
	case *ast.ArithmeticOpExpr:
		return walkExpr(e.Lhs, f) && walkExpr(e.Rhs, f)
	case *ast.UnaryMinusOpExpr:
		return walkExpr(e.Expr, f)
	case *ast.UnaryNotOpExpr:
		return walkExpr(e.Expr, f)
	case *ast.UnaryLenOpExpr:
		return walkExpr(e.Expr, f)
	}
	return true
}

// chosenLengths adds to out, the value of an and/or whose left side lhs
// holds what a test revealed, those sources as lengths when the values
// it chooses between may differ in length (b > 64 and "xx" or "y"): only
// then is the length of what the choice builds data.
func chosenLengths(out, lhs *ValueSet) {
	var srcs []Source
	for _, t := range lhs.Taint() {
		if revealing(t) {
			srcs = append(srcs, t)
		}
	}
	if len(srcs) == 0 {
		return
	}
	n := -1
	for _, v := range out.Values() {
		var l int
		switch v.Kind {
		case KString:
			l = len(v.Str)
		case KNumber:
			l = len(luaNumberString(v.Num))
		case KNil, KBool:
			continue // not text: concatenating them fails
		default:
			n = -2 // a length not known
		}
		if n == -2 {
			break
		}
		if n == -1 {
			n = l
		} else if n != l {
			n = -2
			break
		}
	}
	if n == -2 {
		addPart(out, srcs, anySource, PartLength, 0)
	}
}

// keyRevealing reports whether a key's source makes what it selects
// sensitive: a piece, a size, a test's result, or a secret.
func keyRevealing(t Source) bool { return t.Part != PartWhole || secretKind(t.Kind) }

// statusOf is the status pcall returns when errs may have been raised:
// a boolean that tells whether a tested branch raised.
func (p *program) statusOf(errs *ValueSet) *ValueSet {
	var out *ValueSet
	for _, t := range errs.Taint() {
		if tested(t.Part) {
			if out == nil {
				out = setOf(Value{Kind: KBool})
			}
			out.addTaint(t)
		}
	}
	if out == nil {
		return p.boolSet
	}
	return out
}

// ctrlCall applies a controlled region to a call: the arguments carry
// what the test revealed, and the functions called run because of it.
// error and assert are the exception: raising in a tested branch ends the
// script with a message that reveals one bit (if not s:sub(i, i):match(...)
// then error("bad character") end validates a token); only a pcall that
// catches the error learns more, through its status.
func (p *program) ctrlCall(callee *ValueSet, args []*ValueSet) {
	raises := !callee.Empty()
	for _, v := range callee.Values() {
		if !v.IsLib("error") && !v.IsLib("assert") {
			raises = false
		}
	}
	if raises {
		p.addTaint(&p.errVals, withTaint(&ValueSet{}, p.ctrl...))
		return
	}
	for i := range args {
		args[i] = p.withCtrl(args[i])
	}
	p.markCallees(callee)
}

// exprLine is the line of e, or of the statement being evaluated when e
// is absent (a builtin called on the script's behalf has no call node).
func (p *program) exprLine(e ast.Expr) int {
	if c, ok := e.(*ast.FuncCallExpr); e == nil || ok && c == nil {
		return p.lineOf(p.curStmt)
	}
	return p.lineOf(e)
}

// implicitOnly is the implicit part of a set's taint: what makes the
// number of rounds of a loop over it data.
func implicitOnly(v *ValueSet) []Source {
	var out []Source
	for _, t := range v.Taint() {
		if t.Part == PartImplicit {
			out = append(out, t)
		}
	}
	return out
}
