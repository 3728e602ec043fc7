package analyzer

import (
	"testing"

	"github.com/yuin/gopher-lua/ast"
)

// TestReportRelatedAndMemo checks that related nodes become positions in
// the file and that Memo builds once per file, shared by the rules that
// run on it.
func TestReportRelatedAndMemo(t *testing.T) {
	src := "x = 1\nfunction done()\n  print(x)\nend\n"
	type key struct{}
	builds := 0
	rule := func(id string) *Rule {
		return &Rule{ID: id, Name: "Related" + id, Level: LevelNote, Run: func(p *Pass) error {
			p.Memo(key{}, func() any { builds++; return nil })
			var write, read ast.Expr
			for _, s := range p.File.Chunk {
				switch s := s.(type) {
				case *ast.AssignStmt:
					write = s.Lhs[0]
				case *ast.FuncDefStmt:
					read = s.Func.Stmts[0].(*ast.FuncCallStmt).Expr.(*ast.FuncCallExpr).Args[0]
				}
			}
			p.ReportRelatedf(read, []RelatedNode{{Node: write, Message: "written here"}}, "read of %s", "x")
			return nil
		}}
	}
	fs := AnalyzeSource("r.lua", []byte(src), []*Rule{rule("WL998"), rule("WL999")}, nil)
	if builds != 1 {
		t.Errorf("Memo built %d times for one file, want 1", builds)
	}
	if len(fs) != 2 {
		t.Fatalf("findings: %+v", fs)
	}
	for _, f := range fs {
		if f.Start.Line != 3 || f.Start.Column != 9 || f.Message != "read of x" {
			t.Errorf("finding at %d:%d %q, want 3:9 \"read of x\"", f.Start.Line, f.Start.Column, f.Message)
		}
		if len(f.Related) != 1 {
			t.Fatalf("related: %+v", f.Related)
		}
		r := f.Related[0]
		if r.Start.Line != 1 || r.Start.Column != 1 || r.End.Column != 2 || r.Message != "written here" {
			t.Errorf("related = %+v, want 1:1-1:2 \"written here\"", r)
		}
	}
	AnalyzeSource("s.lua", []byte(src), []*Rule{rule("WL998")}, nil)
	if builds != 2 {
		t.Errorf("Memo reused across files: %d builds for two files", builds)
	}
}
