package luasrc

import (
	"bytes"
	"strings"
	"testing"
)

func TestRuntimeSource(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"plain source unchanged", "local x = 0x10 + 1.5e3 .. 'a\\65'\n", "local x = 0x10 + 1.5e3 .. 'a\\65'\n"},
		{"hex float", "x = 0x1p4", "x = 16"},
		{"hex float too long to keep its length", "x = 0x1p60", "x = 1.152921504606847e+18"},
		{"binary", "x = 0b101+1", "x = 5+1"},
		{"ULL after a name", "x=t[1ULL]", "x=t[1]"},
		{"no merge with a dot", "x = a..0b1", "x = a.. 1"},
		{"\\x escape", `s = "\x41\x00"`, `s = "A\000"`},
		{"\\u escape", `s = '\u{20AC}'`, `s = "\226\130\172"`},
		{"\\z keeps the lines after it", "s = \"a\\z\n   b\" .. c\nerror()", "s = \"ab\"\n .. c\nerror()"},
		{"quote and backslash re-encoded", `s = "\x22\\\x5c"`, `s = "\034\092\092"`},
		{"lexer error left to the parser", `s = "\x4"`, `s = "\x4"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RuntimeSource([]byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if strings.Count(string(got), "\n") != strings.Count(tt.src, "\n") {
				t.Errorf("line count changed: %q", got)
			}
		})
	}
	if _, err := RuntimeSource([]byte("x = 1\ny = 3i")); err == nil || !strings.Contains(err.Error(), "line 2: imaginary number 3i") {
		t.Errorf("imaginary literal: %v", err)
	}
	src := []byte("return 1")
	if got, _ := RuntimeSource(src); !bytes.Equal(got, src) || &got[0] != &src[0] {
		t.Error("a Lua 5.1 source is copied")
	}
}

func FuzzRuntimeSource(f *testing.F) {
	for _, s := range []string{"x = 0x1p4", "s = \"a\\z\n b\"", "\xe5\x90\x8d = 1", `"\u{41}"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := RuntimeSource([]byte(s))
		if err == nil && strings.Count(string(got), "\n") != strings.Count(s, "\n") {
			t.Errorf("lines changed: %q -> %q", s, got)
		}
	})
}
