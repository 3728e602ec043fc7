package analyzer

import (
	"fmt"
	"strings"

	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/config"
)

// Pass is what a rule receives for one file: the resolved program and a
// way to report. A Pass is used by one goroutine at a time.
type Pass struct {
	Rule   *Rule
	File   *File
	Policy *Policy
	// Secrets says which environment variables hold secrets.
	Secrets *config.Secrets
	prog    *program
	q       queries
	report  func(Finding)
	// memo holds what rules share for this file (Memo).
	memo map[any]any
}

// queries are the indexes rules ask for, built on demand after the solver
// finished and shared by the rules of one file; the solver never reads
// them.
type queries struct {
	libRefsDone bool
	libRefs     []Ref // refs with library values
	// calls indexes calls by library callee.
	callsDone bool
	calls     *callIndex
}

// callIndex lists call sites by the library path of their callee: sites[i]
// for the path bucket maps to i. One worker reuses it from file to file.
type callIndex struct {
	bucket map[string]int
	sites  [][]*CallSite
	n      int // buckets in use
}

func (ix *callIndex) add(path string, c *CallSite) {
	i, ok := ix.bucket[path]
	if !ok {
		i = ix.n
		ix.n++
		ix.bucket[path] = i
		if i == len(ix.sites) {
			ix.sites = append(ix.sites, nil)
		}
		clear(ix.sites[i][:cap(ix.sites[i])])
		ix.sites[i] = ix.sites[i][:0]
	}
	ix.sites[i] = append(ix.sites[i], c)
}

// Values returns what expression e may evaluate to. It is never nil.
func (p *Pass) Values(e ast.Expr) *ValueSet {
	if s := p.prog.valOf(e); s != nil {
		return s
	}
	// The program's shared unknown set: rules only read sets.
	return p.prog.anySet
}

// Refs returns every expression the program reads, in source order.
func (p *Pass) Refs() []Ref { return p.prog.refs }

// LibRefs returns the expressions of Refs that may evaluate to a library
// member (a value of kind KLib), in source order. Several rules look only
// at those; the list is made once per file.
func (p *Pass) LibRefs() []Ref {
	prog, q := p.prog, &p.q
	if !q.libRefsDone {
		q.libRefsDone = true
		// The worker's slice from the previous file (see buffers).
		q.libRefs = prog.libRefs[:0]
		for _, ref := range prog.refs {
			switch ref.Expr.(type) {
			case *ast.IdentExpr, *ast.AttrGetExpr, *ast.FuncCallExpr, *ast.LogicalOpExpr, *ast.Comma3Expr:
			default:
				// evalSingle gives literals, constructors and operators
				// only values of their own kinds.
				continue
			}
			if prog.valOf(ref.Expr).HasKind(KLib) {
				q.libRefs = append(q.libRefs, ref)
			}
		}
		prog.libRefs = q.libRefs
	}
	return q.libRefs
}

// CallsTo returns the call sites whose callee may be the library member
// path, in the order of Calls. The slice must not be modified. The index
// behind it is built once per file.
func (p *Pass) CallsTo(path string) []*CallSite {
	prog, q := p.prog, &p.q
	if !q.callsDone {
		q.callsDone = true
		// The worker's index from the previous file, emptied: its map
		// names buckets that keep their room (see buffers).
		ix := prog.callsIx
		if ix == nil || len(ix.bucket) > maxKeptLen {
			ix = &callIndex{bucket: map[string]int{}}
			prog.callsIx = ix
		}
		clear(ix.bucket)
		ix.n = 0
		for _, c := range prog.calls {
			for _, v := range c.Callee.Values() {
				if v == (Value{Kind: KLib, Str: v.Str}) { // what HasLib matches
					ix.add(v.Str, c)
				}
			}
		}
		q.calls = ix
	}
	if i, ok := q.calls.bucket[path]; ok {
		return q.calls.sites[i]
	}
	return nil
}

// Calls returns every call site, including the calls pcall and xpcall make.
func (p *Pass) Calls() []*CallSite { return p.prog.calls }

// Stores returns every assignment to an indexed location and every keyed
// field of a table constructor.
func (p *Pass) Stores() []Store { return p.prog.stores }

// Returns returns every return statement with the values it returns.
func (p *Pass) Returns() []ReturnSite { return p.prog.returns }

// Hook returns the functions that may be stored in the global hook name
// (request, response, ...), which wrk calls.
func (p *Pass) Hook(name string) []*Func {
	g, ok := p.prog.globals[name]
	if !ok {
		return nil
	}
	var out []*Func
	for _, v := range g.vals.Values() {
		if v.Kind == KFunc {
			out = append(out, v.Func)
		}
	}
	return out
}

// StringLiteral returns the LuaJIT-decoded value of a string literal.
func (p *Pass) StringLiteral(e *ast.StringExpr) string { return p.prog.str(e) }

// Global returns the variable for a global name.
func (p *Pass) Global(name string) *Var { return p.prog.global(name) }

// Reportf reports a finding covering node (an ast.Expr or ast.Stmt).
func (p *Pass) Reportf(node any, format string, args ...any) {
	start, end := p.File.nodeOffsets(node)
	p.ReportRangef(start, end, format, args...)
}

// ReportAboutf is Reportf for a finding about the constant names in
// subjects (a file, an environment variable, a module, a host).
func (p *Pass) ReportAboutf(node any, subjects []string, format string, args ...any) {
	start, end := p.File.nodeOffsets(node)
	f := p.File.finding(p.Rule, start, end, fmt.Sprintf(format, args...))
	f.Subjects = subjects
	p.report(f)
}

// ReportRangef reports a finding covering the bytes [start, end).
func (p *Pass) ReportRangef(start, end int, format string, args ...any) {
	p.report(p.File.finding(p.Rule, start, end, fmt.Sprintf(format, args...)))
}

// Text returns the source text of node, shortened for messages.
func (p *Pass) Text(node any) string {
	start, end := p.File.nodeOffsets(node)
	s := strings.Join(strings.Fields(string(p.File.Src[start:end])), " ")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// Line returns the 1-based line where node starts.
func (p *Pass) Line(node any) int {
	start, _ := p.File.nodeOffsets(node)
	return p.File.position(start).Line
}

// EndLine returns the 1-based line where node ends. (A function node's
// LastLine field holds the aligner's expression id, not a line.)
func (p *Pass) EndLine(node any) int {
	_, end := p.File.nodeOffsets(node)
	return p.File.position(max(end-1, 0)).Line
}

// nodeOffsets returns the byte range of a node; a node without a recorded
// span falls back to the start of its line.
func (f *File) nodeOffsets(node any) (int, int) {
	if e, ok := node.(ast.Expr); ok {
		if id := exprID(e); id >= 0 && id < len(f.Spans) {
			sp := f.Spans[id]
			return f.Tokens[sp.First].Start, f.Tokens[sp.Last].End
		}
	}
	if ph, ok := node.(ast.PositionHolder); ok {
		l := ph.Line()
		if l >= 1 && l <= len(f.LineStarts) {
			s := f.LineStarts[l-1]
			return s, s
		}
	}
	return 0, 0
}

func (f *File) finding(r *Rule, start, end int, msg string) Finding {
	if end < start {
		end = start
	}
	sp := f.position(start)
	return Finding{
		RuleID:   r.ID,
		Name:     r.Name,
		Level:    r.Level,
		CWE:      r.CWE,
		File:     f.Name,
		Start:    sp,
		End:      f.position(end),
		Message:  msg,
		LineText: f.lineText(sp.Line),
	}
}

// Origin follows e back through locals assigned once and never modified to
// the expression they were initialised with: the literal a folded call
// decoded, for a finding at the line a reviewer must change.
func (p *Pass) Origin(e ast.Expr) ast.Expr {
	for i := 0; i < 16; i++ {
		id, ok := e.(*ast.IdentExpr)
		if !ok {
			return e
		}
		v := p.prog.identVar(id)
		if v == nil || v.Global || v.stores != 0 || v.decl == nil {
			return e
		}
		e = v.decl
	}
	return e
}
