package analyzer

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/internal/credential"
)

// TaintKind is a kind of sensitive data.
type TaintKind uint8

// Kinds of sensitive data followed by the data-flow rules.
const (
	TaintResponseBody TaintKind = iota + 1
	TaintResponseHeader
	TaintEnv
	TaintSecret
	TaintFile
	TaintArgs
	// TaintCredFile is what a credentials file holds (~/.aws/credentials,
	// ~/.netrc, an SSH private key, .env, /run/secrets/...).
	TaintCredFile
)

// Source is where sensitive data entered the script.
type Source struct {
	Kind TaintKind
	// Line is the 1-based line of the source.
	Line int
	// Detail names it further: a header or environment variable name.
	Detail string
	// Part says how much of the data a value holds: all of it (the
	// ordinary case), a piece chosen at run time, a length that is data,
	// or what a test of such a piece revealed (Via is then the test's
	// line). See implicit.go.
	Part Part
	Via  int
}

func (s Source) String() string {
	var what string
	switch s.Kind {
	case TaintResponseBody:
		what = "response body"
	case TaintResponseHeader:
		what = "response header"
		if s.Detail != "" {
			what += " " + s.Detail
		}
	case TaintEnv:
		what = "environment variable"
		if s.Detail != "" {
			what += " " + s.Detail
		}
	case TaintSecret:
		what = "hard-coded " + s.Detail
	case TaintFile:
		what = "file data"
	case TaintArgs:
		what = "script argument"
	case TaintCredFile:
		what = "credentials file " + s.Detail
	default:
		what = "sensitive data"
	}
	out := fmt.Sprintf("%s from line %d", what, s.Line)
	switch s.Part {
	case PartPiece:
		out += ", a piece chosen at run time"
	case PartLength:
		out += ", as a length"
	case PartImplicit, PartChosen:
		out += fmt.Sprintf(", revealed by the test at line %d", s.Via)
	}
	return out
}

// Taint returns the sources whose data may be in the set (a few per kind,
// the earliest first).
func (s *ValueSet) Taint() []Source {
	if s == nil {
		return nil
	}
	return s.taint
}

// maxSourcesPerKind bounds the sources of one kind a set keeps: the
// earliest in the file, so that the choice does not depend on the order of
// evaluation. More than one is kept so that a rule that cares which one
// (WL502: a secret environment variable, not a label) finds it when a
// table holds both.
const maxSourcesPerKind = 6

// addTaint records a source. The taint is kept sorted by kind, line and
// detail, at most maxSourcesPerKind per kind.
func (s *ValueSet) addTaint(src Source) bool {
	n, at := 0, len(s.taint)
	for i, t := range s.taint {
		if t == src {
			return false
		}
		if t.Kind == src.Kind {
			n++
		}
		if at == len(s.taint) && taintLess(src, t) {
			at = i
		}
	}
	if n >= maxSourcesPerKind {
		// Full: keep the earliest ones.
		last := -1
		for i, t := range s.taint {
			if t.Kind == src.Kind {
				last = i
			}
		}
		if !taintLess(src, s.taint[last]) {
			return false
		}
		s.taint = append(s.taint[:last], s.taint[last+1:]...)
		if at > last {
			at--
		}
	}
	s.taint = append(s.taint, Source{})
	copy(s.taint[at+1:], s.taint[at:])
	s.taint[at] = src
	return true
}

// taintLess orders sources by kind, then line, then detail.
func taintLess(a, b Source) bool {
	if a.Kind != b.Kind {
		return a.Kind < b.Kind
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Detail != b.Detail {
		return a.Detail < b.Detail
	}
	if a.Part != b.Part {
		return a.Part < b.Part
	}
	return a.Via < b.Via
}

func (s *ValueSet) addTaintOf(o *ValueSet) bool {
	changed := false
	if o == nil {
		return false
	}
	for _, t := range o.taint {
		if s.addTaint(t) {
			changed = true
		}
	}
	return changed
}

func withTaint(s *ValueSet, srcs ...Source) *ValueSet {
	for _, t := range srcs {
		s.addTaint(t)
	}
	return s
}

// SensitiveHeader reports whether a response header carries credentials
// or session state.
func SensitiveHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "cookie", "set-cookie", "authorization", "proxy-authorization", "x-api-key", "x-auth-token", "x-csrf-token":
		return true
	}
	return strings.Contains(n, "token") || strings.Contains(n, "secret") || strings.Contains(n, "session") || strings.Contains(n, "key")
}

// DeepTaint returns the sources reachable from the set: its own, those of
// every table it may hold (fields, recursively), and the whole response
// headers or script arguments when the set is that table.
func (p *Pass) DeepTaint(s *ValueSet) []Source { return p.prog.deepTaint(s) }

func (p *program) deepTaint(s *ValueSet) []Source {
	if s == nil || (len(s.taint) == 0 && !s.HasKind(KTable) && !s.HasKind(KLib)) {
		return nil // the common argument: nothing to walk, no taint
	}
	w := taintWalk{p: p, out: &ValueSet{}}
	w.walk(s, 0)
	return w.out.taint
}

// taintWalk collects the taint reachable from a set for deepTaint.
type taintWalk struct {
	p    *program
	out  *ValueSet
	seen map[*Table]bool // made at the first table
}

func (w *taintWalk) walk(s *ValueSet, depth int) {
	if s == nil || depth > 16 {
		return
	}
	w.out.addTaintOf(s)
	for _, v := range s.Values() {
		switch {
		case v.Kind == KTable && !w.seen[v.Table]:
			if w.seen == nil {
				w.seen = map[*Table]bool{}
			}
			w.seen[v.Table] = true
			w.p.readTable(v.Table)
			for _, k := range v.Table.keys() {
				w.walk(v.Table.fields[k], depth+1)
			}
			w.walk(&v.Table.any, depth+1)
			w.walk(&v.Table.keyVals, depth+1)
		case v.IsLib("wrk.response.headers"):
			w.out.addTaint(Source{Kind: TaintResponseHeader, Line: w.p.hookLine("response"), Detail: "(all headers)"})
		case v.IsLib("wrk.args"):
			w.out.addTaint(Source{Kind: TaintArgs, Line: w.p.hookLine("init")})
		}
	}
}

// hookLine is the line where a hook function is defined, or 1.
func (p *program) hookLine(name string) int {
	if line, ok := p.hookLines[name]; ok {
		return line
	}
	return 1
}

// lineOf is the line where node starts.
func (p *program) lineOf(node any) int {
	start, _ := p.f.nodeOffsets(node)
	// Only the line: position would also count UTF-16 columns.
	return p.f.line(min(max(start, 0), len(p.f.Src)))
}

// literalTaint marks string literals that hold credentials as secrets.
func (p *program) literalTaint(e *ast.StringExpr, s *ValueSet) *ValueSet {
	if what := p.credential(p.str(e)); what != "" {
		s.addTaint(Source{Kind: TaintSecret, Line: p.lineOf(e), Detail: what})
	}
	return s
}

// Credential returns what credential.Find reports for s, the constant
// value of e. For a string literal it is what the taint analysis already
// found, when that was s.
func (p *Pass) Credential(e ast.Expr, s string) string {
	if lit, ok := e.(*ast.StringExpr); ok {
		if id := exprID(lit); id >= 0 && id < len(p.prog.exprs) {
			if set := p.prog.exprs[id].lit; set != nil && p.prog.str(lit) == s {
				for _, t := range set.taint {
					if t.Kind == TaintSecret {
						return t.Detail
					}
				}
				return ""
			}
		}
	}
	return findCredential(s)
}

// findCredential is credential.Find, then credential.FindEncoded: a
// constant the script decodes itself (reversed, hex, base64) is as
// hard-coded as a plain one.
func findCredential(s string) string {
	if what := credential.Find(s); what != "" {
		return what
	}
	return credential.FindEncoded(s)
}

// credential is credential.Find with the answers for short strings kept
// by the driver worker: scripts repeat the same header names, paths and
// formats.
func (p *program) credential(s string) string {
	if len(s) > maxCachedSecretLen {
		return findCredential(s)
	}
	if what, ok := p.secrets[s]; ok {
		return what
	}
	what := findCredential(s)
	if len(p.secrets) < maxCachedSecrets {
		p.secrets[strings.Clone(s)] = what // s may be a slice of a whole file
	}
	return what
}

// Bounds of the credential cache.
const (
	maxCachedSecretLen = 256
	maxCachedSecrets   = 4096
)

// headerIndexTaint is the taint of headers[key] on a response's headers.
func (p *program) headerIndexTaint(key *ValueSet, node ast.Expr) (Source, bool) {
	line := p.hookLine("response")
	if node != nil {
		line = p.lineOf(node)
	}
	names, all := key.ConstStrings()
	folds := true
	if ix, ok := node.(*ast.AttrGetExpr); ok {
		folds = p.folds(ix.Key, 0)
	}
	if !all || !folds {
		return Source{Kind: TaintResponseHeader, Line: line, Detail: "(chosen at run time)"}, true
	}
	for _, n := range names {
		if SensitiveHeader(n) {
			return Source{Kind: TaintResponseHeader, Line: line, Detail: strconv.Quote(n)}, true
		}
	}
	return Source{}, false
}
