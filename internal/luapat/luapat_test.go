package luapat

import "testing"

// TestClasses: each class against a row of characters, as LuaJIT 2.1
// answers ("c:find('^' .. class .. '$')" for every character, printed by
// LuaJIT).
func TestClasses(t *testing.T) {
	chars := []byte{'a', 'Z', '5', ' ', '\t', 0, '_', '-', ']', '%', '.', ',', 127, 200}
	tests := []struct{ class, want string }{
		{"%a", "11000000000000"},
		{"%A", "00111111111111"},
		{"%c", "00001100000010"},
		{"%d", "00100000000000"},
		{"%g", "11100011111100"},
		{"%l", "10000000000000"},
		{"%p", "00000011111100"},
		{"%s", "00011000000000"},
		{"%S", "11100111111111"},
		{"%u", "01000000000000"},
		{"%w", "11100000000000"},
		{"%x", "10100000000000"},
		{"%z", "00000100000000"},
		{"%%", "00000000010000"},
		{"%.", "00000000001000"},
		{"[a-c%d]", "10100000000000"},
		{"[^%s,]", "11100111111011"},
		{"[]x]", "00000000100000"},
		{"[^]]", "11111111011111"},
		{"[%a_-]", "11000011000000"},
	}
	for _, tt := range tests {
		got := make([]byte, len(chars))
		for i, c := range chars {
			var ok bool
			if tt.class[0] == '[' {
				ok = MatchBracket(tt.class, c)
			} else {
				ok = MatchClass(c, tt.class[1])
			}
			got[i] = '0'
			if ok {
				got[i] = '1'
			}
		}
		if string(got) != tt.want {
			t.Errorf("%s: %s, want %s", tt.class, got, tt.want)
		}
	}
}
