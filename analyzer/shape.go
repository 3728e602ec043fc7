package analyzer

import (
	"slices"
	"strings"
)

// maxShapeLen bounds the prefix and the suffix a shape keeps: a loop that
// appends to a string (s = s .. "x") then reaches a fixed point, and what
// is kept is still a true prefix and suffix.
const maxShapeLen = 64

// shapeSep separates prefix and suffix in a KShape's Str. A Value must
// stay comparable and small (the solver holds millions of them), so the
// two strings share one field rather than adding a second; shapes whose
// parts hold the separator byte are not made (the value stays unknown).
const shapeSep = "\x00"

// shapeValue is the string that starts with pre and ends with suf, or
// unknown when neither is known.
func shapeValue(pre, suf string) Value {
	if len(pre) > maxShapeLen {
		pre = pre[:maxShapeLen]
	}
	if len(suf) > maxShapeLen {
		suf = suf[len(suf)-maxShapeLen:]
	}
	if (pre == "" && suf == "") || strings.Contains(pre, shapeSep) || strings.Contains(suf, shapeSep) {
		return unknownSet
	}
	return Value{Kind: KShape, Str: pre + shapeSep + suf}
}

// Shape returns the known prefix and suffix of a KShape value.
func (v Value) Shape() (prefix, suffix string) {
	if v.Kind != KShape {
		return "", ""
	}
	prefix, suffix, _ = strings.Cut(v.Str, shapeSep)
	return prefix, suffix
}

// MayBe reports whether the string value v may be the string name: a
// constant equal to it, or a shape it fits. Any other value may be
// anything.
func (v Value) MayBe(name string) bool {
	switch v.Kind {
	case KShape:
		pre, suf := v.Shape()
		return len(name) >= len(pre)+len(suf) && strings.HasPrefix(name, pre) && strings.HasSuffix(name, suf)
	case KString, KNumber:
		s, _ := constToString(v)
		return s == name
	}
	return true
}

// concatShape is a .. b for values that do not both fold: the constant
// and shaped sides give the result's prefix and suffix. A side that is
// not a string or number at run time calls __concat; handlers the
// analysis sees are added by the caller, and values it cannot see are a
// boundary the analysis already has (a module wrklint does not read).
func concatShape(a, b Value) Value {
	aPre, aSuf, aConst, aOK := shapeParts(a)
	bPre, bSuf, bConst, bOK := shapeParts(b)
	if (!aOK && !bOK) || (aConst && bConst) {
		// Two constants that did not fold (past the folding budget) are
		// not a shape: a prefix and a suffix never overlap in one.
		return unknownSet
	}
	pre, suf := aPre, bSuf
	if aConst {
		pre = aPre + bPre // a whole constant is followed by b's prefix
	}
	if bConst {
		suf = aSuf + bSuf
	}
	return shapeValue(pre, suf)
}

// shapeParts returns what is known of v as a string: a constant is its
// own prefix and suffix (whole reports it), a shape its parts; ok is
// false for a value of which nothing is known.
func shapeParts(v Value) (pre, suf string, whole, ok bool) {
	switch v.Kind {
	case KString, KNumber:
		s, _ := constToString(v)
		return s, s, true, true
	case KShape:
		pre, suf = v.Shape()
		return pre, suf, false, true
	}
	return "", "", false, false
}

// approxOperand is what a concatenation may rely on of an operand value:
// everything when the operand is stable, only a shape otherwise.
func approxOperand(v Value, stable bool) Value {
	if stable || v.Kind == KShape {
		return v
	}
	return unknownSet
}

// formatShapes is what string.format(f, ...) may return when it does not
// fold: for each constant format, a shape of its literal text before the
// first directive and after the last one; unknown for anything else.
func formatShapes(formats *ValueSet) *ValueSet {
	out := &ValueSet{}
	for _, v := range formats.Values() {
		if v.Kind != KString {
			out.add(unknownSet)
			continue
		}
		pre, suf, ok := formatLiterals(v.Str)
		if !ok {
			out.add(unknownSet)
			continue
		}
		out.add(shapeValue(pre, suf))
	}
	if out.Empty() {
		out.add(unknownSet)
	}
	return out
}

// formatLiterals returns the text a format prints before its first
// directive and after its last one (%% printing "%"); ok is false for a
// format without a directive or with one it cannot read.
func formatLiterals(f string) (pre, suf string, ok bool) {
	var lit strings.Builder
	seen := false
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			lit.WriteByte(f[i])
			continue
		}
		i++
		if i < len(f) && f[i] == '%' {
			lit.WriteByte('%')
			continue
		}
		// Flags, width, precision, then the conversion.
		for i < len(f) && strings.IndexByte("-+ #0123456789.", f[i]) >= 0 {
			i++
		}
		if i >= len(f) || strings.IndexByte("cdiouxXeEfgGqsaA", f[i]) < 0 {
			return "", "", false
		}
		if !seen {
			pre, seen = lit.String(), true
		}
		lit.Reset()
	}
	if !seen {
		return "", "", false
	}
	return pre, lit.String(), true
}

// schemeStrings replaces wrk.scheme in s by the strings it may hold: wrk
// sets it from the URL it was given, and takes only http and https URLs.
// A URL the script builds from it (wrk.scheme .. "://" .. host) then has
// a known start, and its host can be checked.
func schemeStrings(s *ValueSet) *ValueSet {
	vals := s.Values()
	if !slices.ContainsFunc(vals, func(v Value) bool { return v.IsLib("wrk.scheme") }) {
		return s
	}
	out := &ValueSet{}
	out.addTaintOf(s)
	for _, v := range vals {
		if v.IsLib("wrk.scheme") {
			out.add(Value{Kind: KString, Str: "http"})
			out.add(Value{Kind: KString, Str: "https"})
			continue
		}
		out.add(v)
	}
	return out
}
