package analyzer

import "testing"

func TestLiteralPattern(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pat, want string
		ok        bool
	}{
		{"-", "-", true},
		{"abc", "abc", true},
		{"%.", ".", true},
		{"%-%%", "-%", true},
		{"*", "*", true},   // an item may start with *: a literal
		{"a**", "", false}, // a* then a literal *: a quantifier
		{"a-b", "", false},
		{"x?", "", false},
		{".", "", false},
		{"%d", "", false},
		{"%1", "", false},
		{"[ab]", "", false},
		{"(a)", "", false},
		{"^a", "", false},
		{"a$", "", false},
		{"a$b", "a$b", true},
		{"%", "", false},
	} {
		got, ok := literalPattern(tc.pat)
		if got != tc.want || ok != tc.ok {
			t.Errorf("literalPattern(%q) = %q, %v; want %q, %v", tc.pat, got, ok, tc.want, tc.ok)
		}
	}
}
