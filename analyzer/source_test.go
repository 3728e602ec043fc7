package analyzer

import (
	"strings"
	"testing"
)

// testRule reports every expression that evaluates to os.execute, so the
// positions the engine computes can be checked.
var testRule = &Rule{ID: "WL900", Name: "Test", Level: LevelError, Run: func(p *Pass) error {
	for _, r := range p.Refs() {
		if p.Values(r.Expr).HasLib("os.execute") {
			p.Reportf(r.Expr, "found")
		}
	}
	return nil
}}

func TestPositions(t *testing.T) {
	tests := []struct {
		name              string
		src               string
		line, col, endCol int
		col16, endCol16   int
	}{
		{"simple", "os.execute('id')", 1, 1, 11, 1, 11},
		{"indented second line", "local a = 1\n   local x = os.execute", 2, 14, 24, 14, 24},
		{"after non-ascii string", `local s = "héllo" ; local x = os.execute`, 1, 32, 42, 31, 41},
		{"after astral char", "local s = '\U0001F600' ; local y = os.execute", 1, 30, 40, 28, 38},
		{"bracket index", `local z = os [ "exec".."ute" ]`, 1, 11, 31, 11, 31},
		{"after shebang", "#!/usr/bin/env wrk\nlocal q = os.execute", 2, 11, 21, 11, 21},
		{"crlf lines", "local a = 1\r\nlocal b = os.execute\r\n", 2, 11, 21, 11, 21},
		{"alias call", "local e = os.execute\ne('id')", 1, 11, 21, 11, 21},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := AnalyzeSource("t.lua", []byte(tt.src), []*Rule{testRule}, nil)
			if len(fs) == 0 {
				t.Fatalf("no findings")
			}
			f := fs[0]
			if f.RuleID != "WL900" {
				t.Fatalf("unexpected finding %v", f)
			}
			if f.Start.Line != tt.line || f.Start.Column != tt.col || f.End.Column != tt.endCol {
				t.Errorf("got %d:%d-%d, want %d:%d-%d", f.Start.Line, f.Start.Column, f.End.Column, tt.line, tt.col, tt.endCol)
			}
			if f.Start.ColumnUTF16 != tt.col16 || f.End.ColumnUTF16 != tt.endCol16 {
				t.Errorf("UTF-16 columns %d-%d, want %d-%d", f.Start.ColumnUTF16, f.End.ColumnUTF16, tt.col16, tt.endCol16)
			}
			if strings.ContainsAny(f.LineText, "\r\n") {
				t.Errorf("line text %q keeps a line break", f.LineText)
			}
		})
	}
}

func TestUnanalyzable(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		line, col int
		msg       string
	}{
		{"syntax error", "local x = = 1", 1, 11, "near '='"},
		{"unfinished string", "local a = 1\nlocal s = \"abc\n", 2, 11, "unfinished string"},
		{"error at end of file", "function f()\n  return 1\n", 2, 10, "end of file"},
		{"bytecode", "\x1bLJ\x02\x00\x00", 1, 1, "bytecode"},
		{"lua 5.1 bytecode", "\x1bLua\x51\x00", 1, 1, "bytecode"},
		{"deep nesting", "x = " + strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300), 1, 205, "nesting deeper than 200"},
		{"long operator chain", "x = 1" + strings.Repeat(" + 1", 6000), 1, 0, "too deep"},
		{"malformed number", "x = 3do", 1, 5, ""},
		{"too large", "--" + strings.Repeat("x", MaxFileSize), 1, 1, "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := AnalyzeSource("bad.lua", []byte(tt.src), []*Rule{testRule}, nil)
			if len(fs) != 1 || fs[0].RuleID != "WL001" {
				t.Fatalf("got %v, want one WL001", fs)
			}
			f := fs[0]
			if f.Start.Line != tt.line || (tt.col != 0 && f.Start.Column != tt.col) {
				t.Errorf("at %d:%d, want %d:%d (%s)", f.Start.Line, f.Start.Column, tt.line, tt.col, f.Message)
			}
			if !strings.Contains(f.Message, tt.msg) {
				t.Errorf("message %q does not mention %q", f.Message, tt.msg)
			}
			if f.Level != LevelError || f.File != "bad.lua" {
				t.Errorf("finding %+v", f)
			}
		})
	}
}

// LuaJIT accepts forms gopher-lua rejects; wrklint rewrites them and still
// sees what the script does.
func TestLuaJITSyntaxIsAnalysed(t *testing.T) {
	for _, src := range []string{
		"local k = 0x1p4\nos.execute('id')",
		"local n = 10ULL\nos.execute('id')",
		"local b = 0b101\nos.execute('id')",
		"local café = os.execute\ncafé('id')",
		"local s = 'a\\z\n   b'\nos.execute(s)",
		"#!/usr/bin/env wrk\nos.execute('id')",
	} {
		fs := AnalyzeSource("j.lua", []byte(src), []*Rule{testRule}, nil)
		if len(fs) == 0 {
			t.Errorf("%q: no findings", src)
		}
		for _, f := range fs {
			if f.RuleID != "WL900" {
				t.Errorf("%q: %v", src, f)
			}
		}
	}
}
