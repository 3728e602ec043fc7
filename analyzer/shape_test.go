package analyzer

import "testing"

func TestConcatShape(t *testing.T) {
	str := func(s string) Value { return Value{Kind: KString, Str: s} }
	num := func(n float64) Value { return Value{Kind: KNumber, Num: n} }
	tests := []struct {
		name       string
		a, b       Value
		maybe, not []string
	}{
		{"constant prefix", str("action_fail_"), unknownSet, []string{"action_fail_", "action_fail_x"}, []string{"os", "action_fail", "loadstring"}},
		{"constant suffix", unknownSet, str("_count"), []string{"x_count", "_count"}, []string{"os", "count"}},
		{"suffix s fits os", unknownSet, str("s"), []string{"os", "pairs", "ipairs"}, []string{"io", "debug"}},
		{"number prefix", num(12), unknownSet, []string{"12", "123"}, []string{"os"}},
		{"shape then constant", shapeValue("n_", ""), str("_total"), []string{"n__total", "n_x_total"}, []string{"n_total", "os"}},
		{"constant then shape", str("a"), shapeValue("b", "c"), []string{"abc", "abxc"}, []string{"ac", "bc"}},
		{"shapes on both sides", shapeValue("p", ""), shapeValue("", "s"), []string{"ps", "pairs"}, []string{"os", "p"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := concatShape(tt.a, tt.b)
			for _, n := range tt.maybe {
				if !v.MayBe(n) {
					t.Errorf("%v cannot be %q, want it may", v, n)
				}
			}
			for _, n := range tt.not {
				if v.MayBe(n) {
					t.Errorf("%v may be %q, want not", v, n)
				}
			}
		})
	}
}

func TestConcatShapeUnknown(t *testing.T) {
	tests := []struct {
		name string
		a, b Value
	}{
		{"nothing known", unknownSet, unknownSet},
		{"two constants past the budget", Value{Kind: KString, Str: "a"}, Value{Kind: KString, Str: "b"}},
		{"separator byte in the constant", Value{Kind: KString, Str: "a\x00"}, unknownSet},
		{"a table", Value{Kind: KTable}, unknownSet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v := concatShape(tt.a, tt.b); v.Kind != KUnknown || !v.MayBe("os") {
				t.Errorf("concatShape = %v, want unknown", v)
			}
		})
	}
}

func TestShapeBounded(t *testing.T) {
	long := string(make([]byte, 0, 200))
	for range 200 {
		long += "x"
	}
	v := shapeValue(long, long)
	pre, suf := v.Shape()
	if len(pre) != maxShapeLen || len(suf) != maxShapeLen {
		t.Fatalf("shape keeps %d and %d bytes, want %d", len(pre), len(suf), maxShapeLen)
	}
	if !v.MayBe(long + long) {
		t.Errorf("a truncated shape must still fit the string it came from")
	}
}

func TestFormatLiterals(t *testing.T) {
	tests := []struct {
		format, pre, suf string
		ok               bool
	}{
		{"fail_%d", "fail_", "", true},
		{"%s_count", "", "_count", true},
		{"n_%05.2f_%s.total", "n_", ".total", true},
		{"100%% of %s", "100% of ", "", true},
		{"%s%%", "", "%", true},
		{"no directive", "", "", false},
		{"bad %y", "", "", false},
		{"trailing %", "", "", false},
	}
	for _, tt := range tests {
		pre, suf, ok := formatLiterals(tt.format)
		if pre != tt.pre || suf != tt.suf || ok != tt.ok {
			t.Errorf("formatLiterals(%q) = %q, %q, %v; want %q, %q, %v", tt.format, pre, suf, ok, tt.pre, tt.suf, tt.ok)
		}
	}
}
