package analyzer

import (
	"strings"

	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/internal/luapat"
)

// Lua patterns the analysis runs on constants. Scripts split a list they
// hold ("~/.netrc ~/.aws/credentials"):gsub("%S+", f), walk it with
// gmatch("[^,]+"), or expand a prefix with gsub("^~", home); knowing the
// pieces (or the text around a replacement it cannot fold) tells the
// rules which files are opened and which hosts are named. Only patterns
// that match without backtracking are run here — one character class,
// repeated (+) or not, in at most one capture, optionally anchored; or
// literal text — so that a constant costs time linear in its length
// whatever the pattern. Anything else is not folded (the value stays
// unknown, as before).

// maxPatternMatches bounds the matches taken from one constant: past it
// the pieces are not folded.
const maxPatternMatches = 64

// itemPattern is a pattern of one character class: "%S+", "[^,]+",
// "([^\n]+)", ".", "%w".
type itemPattern struct {
	class    string // the class as written: ".", "%S", "[^,]", "x"
	plus     bool   // the class repeated, greedily
	anchored bool   // "^": only a match at the start
}

// parseItemPattern reads pat as an itemPattern.
func parseItemPattern(pat string) (itemPattern, bool) {
	var ip itemPattern
	if strings.HasPrefix(pat, "^") {
		ip.anchored = true
		pat = pat[1:]
	}
	if len(pat) >= 2 && pat[0] == '(' && pat[len(pat)-1] == ')' && !strings.HasSuffix(pat, "%)") {
		pat = pat[1 : len(pat)-1] // one capture of the whole item: the same text
	}
	if strings.HasSuffix(pat, "+") && !strings.HasSuffix(pat, "%+") {
		ip.plus = true
		pat = pat[:len(pat)-1]
	}
	n, ok := classLen(pat)
	if !ok || n != len(pat) {
		return itemPattern{}, false
	}
	ip.class = pat
	return ip, true
}

// classLen is the length of the single character class at the start of
// pat, false when pat does not start with one this file can match.
func classLen(pat string) (int, bool) {
	if pat == "" {
		return 0, false
	}
	switch c := pat[0]; c {
	case '%':
		if len(pat) < 2 || pat[1] == 'b' || pat[1] == 'f' || pat[1] >= '0' && pat[1] <= '9' {
			return 0, false
		}
		return 2, true
	case '[':
		i := 1
		if i < len(pat) && pat[i] == '^' {
			i++
		}
		if i < len(pat) && pat[i] == ']' {
			i++ // a ']' first is a member
		}
		for i < len(pat) {
			switch pat[i] {
			case ']':
				return i + 1, true
			case '%':
				i += 2
			default:
				i++
			}
		}
		return 0, false
	case '(', ')', '*', '+', '-', '?', '^', '$', ']':
		return 0, false
	}
	return 1, true
}

// matchesClass tests c against a class as classLen delimits it.
func matchesClass(class string, c byte) bool {
	switch class[0] {
	case '.':
		return true
	case '%':
		return luapat.MatchClass(c, class[1])
	case '[':
		return luapat.MatchBracket(class, c)
	}
	return class[0] == c
}

// pieces returns what gsub or gmatch with the pattern hand out for s (the
// captures, here the whole matches), false past maxPatternMatches.
func (ip itemPattern) pieces(s string) ([]string, bool) {
	var out []string
	for i := 0; i < len(s); {
		if !matchesClass(ip.class, s[i]) {
			if ip.anchored {
				break
			}
			i++
			continue
		}
		j := i + 1
		for ip.plus && j < len(s) && matchesClass(ip.class, s[j]) {
			j++
		}
		if len(out) == maxPatternMatches {
			return nil, false
		}
		out = append(out, s[i:j])
		if ip.anchored {
			break
		}
		i = j
	}
	return out, true
}

// constPieces is the set of pieces a pattern hands out for constant
// subjects, or nil when the subjects or the pattern are not constant or
// the pattern is not one this file runs.
func constPieces(subject, pattern *ValueSet) *ValueSet {
	subs, all := subject.ConstStrings()
	pat, ok := pattern.ConstString()
	if !all || len(subs) == 0 || !ok {
		return nil
	}
	ip, ok := parseItemPattern(pat)
	if !ok {
		return nil
	}
	out := &ValueSet{}
	for _, s := range subs {
		if len(s) > maxFoldLen {
			return nil
		}
		ps, ok := ip.pieces(s)
		if !ok {
			return nil
		}
		for _, piece := range ps {
			out.add(Value{Kind: KString, Str: piece})
		}
	}
	if out.Empty() {
		return nil // no match: nothing is called, nothing iterates
	}
	return out
}

// gsubShapes is what gsub(s, pat, repl) may return for constant subjects
// and a literal pattern (anchored or not) when the replacement does not
// fold: the subject up to the first match and after the last one are
// known, ("~/.netrc"):gsub("^~", home) ends with "/.netrc". A subject
// the pattern does not match is returned whole. Unknown otherwise.
func gsubShapes(args []*ValueSet) *ValueSet {
	subs, all := argOr(args, 0).ConstStrings()
	pat, ok := argOr(args, 1).ConstString()
	if !all || len(subs) == 0 || !ok || len(args) > 3 {
		return unknown()
	}
	anchored := strings.HasPrefix(pat, "^")
	if anchored {
		pat = pat[1:]
	}
	lit, ok := literalPattern(pat)
	if !ok || lit == "" {
		return unknown()
	}
	out := &ValueSet{}
	for _, s := range subs {
		first := strings.Index(s, lit)
		if anchored && first != 0 {
			first = -1
		}
		if first < 0 {
			out.add(Value{Kind: KString, Str: s})
			continue
		}
		last := first
		if !anchored {
			last = strings.LastIndex(s, lit)
		}
		out.add(shapeValue(s[:first], s[last+len(lit):]))
	}
	return out
}

// gmatchPieces is what a generic for over gmatch of a constant subject
// and a pattern this file runs gives its first variable, or nil.
func (p *program) gmatchPieces(s *ast.GenericForStmt) *ValueSet {
	subject, pat, ok := p.gmatchLoop(s)
	if !ok {
		return nil
	}
	sv, pv := p.valOf(subject), p.valOf(pat)
	if sv == nil || pv == nil || len(sv.Taint()) > 0 {
		return nil
	}
	if ps, _ := pv.ConstString(); strings.HasPrefix(ps, "^") {
		return nil // gmatch has no anchor: "^" would be matched as itself
	}
	return constPieces(sv, pv)
}

// gmatchLoop returns the subject and pattern of a generic for over
// s:gmatch(pat) or string.gmatch(s, pat).
func (p *program) gmatchLoop(s *ast.GenericForStmt) (subject, pat ast.Expr, ok bool) {
	if len(s.Exprs) != 1 {
		return nil, nil, false
	}
	call, isCall := s.Exprs[0].(*ast.FuncCallExpr)
	switch {
	case !isCall:
		return nil, nil, false
	case call.Func == nil && call.Method == "gmatch" && len(call.Args) == 1:
		return call.Receiver, call.Args[0], true
	case call.Func != nil && len(call.Args) == 2 && p.valOf(call.Func).HasLib("string.gmatch"):
		return call.Args[0], call.Args[1], true
	}
	return nil, nil, false
}
