package analyzer

import (
	"slices"
	"strings"
	"testing"
)

// TestItemPatternPieces: the pieces agree with LuaJIT's gsub on the same
// subject and pattern (the expectations were printed by LuaJIT 2.1), and
// patterns that need backtracking or more than one capture are not run.
func TestItemPatternPieces(t *testing.T) {
	tests := []struct {
		subject, pattern string
		want             []string
	}{
		{"~/.aws/credentials ~/.netrc  ~/.docker/config.json", "%S+", []string{"~/.aws/credentials", "~/.netrc", "~/.docker/config.json"}},
		{"a,b,,c", "[^,]+", []string{"a", "b", "c"}},
		{"line1\nline2\n", "([^\n]+)", []string{"line1", "line2"}},
		{"abc", ".", []string{"a", "b", "c"}},
		{"x1y22z", "%d+", []string{"1", "22"}},
		{"  lead", "^%s+", []string{"  "}},
		{"lead  ", "^%s+", nil},
		{"a-b_c", "[%w_]+", []string{"a", "b_c"}},
		{"]x]", "[]x]+", []string{"]x]"}},
		{"A-Z", "[A-Z]", []string{"A", "Z"}},
		{"key=val", "%a+", []string{"key", "val"}},
		{"x%y", "%%", []string{"%"}},
		{"tab\there", "%S+", []string{"tab", "here"}},
		{"h\xc3\xa9llo", "%a+", []string{"h", "llo"}},
		{"a.b.c", "[^.]+", []string{"a", "b", "c"}},
		{"0x1F,ff", "%x+", []string{"0", "1F", "ff"}},
		{"a^b", "[%^b]+", []string{"^b"}},
	}
	for _, tt := range tests {
		ip, ok := parseItemPattern(tt.pattern)
		if !ok {
			t.Errorf("%q: not read as one class", tt.pattern)
			continue
		}
		got, ok := ip.pieces(tt.subject)
		if !ok || !slices.Equal(got, tt.want) {
			t.Errorf("(%q):gsub(%q): pieces %q (ok %v), want %q", tt.subject, tt.pattern, got, ok, tt.want)
		}
	}
	for _, pat := range []string{"(%d+)-(%d+)", "%b()", "a*", "x-", "%d?", "$", "%1", "[a-", "", "(", "%f[%w]", "()", "ab"} {
		if _, ok := parseItemPattern(pat); ok {
			t.Errorf("%q read as one class", pat)
		}
	}
	long := strings.Repeat("a ", maxPatternMatches+1)
	if _, ok := (itemPattern{class: "%S", plus: true}).pieces(long); ok {
		t.Errorf("%d matches were folded, want at most %d", maxPatternMatches+1, maxPatternMatches)
	}
}

// TestGsubShapes: a literal pattern replaced by something unknown keeps
// the text before the first match and after the last one.
func TestGsubShapes(t *testing.T) {
	str := func(s string) *ValueSet { return setOf(Value{Kind: KString, Str: s}) }
	tests := []struct {
		subject, pattern string
		want             Value
	}{
		{"~/.netrc", "^~", shapeValue("", "/.netrc")},
		{"a~b", "^~", Value{Kind: KString, Str: "a~b"}}, // no match: the subject
		{"{HOST}/v1/{ID}.json", "{ID}", shapeValue("{HOST}/v1/", ".json")},
		{"x-y-z", "-", shapeValue("x", "z")},
		{"a.b", "%.", shapeValue("a", "b")},
	}
	for _, tt := range tests {
		got := gsubShapes([]*ValueSet{str(tt.subject), str(tt.pattern), unknown()})
		if vs := got.Values(); len(vs) != 1 || vs[0] != tt.want {
			t.Errorf("(%q):gsub(%q, ?) = %v, want %v", tt.subject, tt.pattern, vs, tt.want)
		}
	}
	if !gsubShapes([]*ValueSet{str("a.b"), str("."), unknown()}).HasKind(KUnknown) {
		t.Errorf("a pattern with a class was folded as literal text")
	}
}
