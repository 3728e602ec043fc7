package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/bench/luagen"
	"github.com/wrklint/wrklint/rules"
)

// TestFastSolverMatchesStrict checks that the solver's read stamps (a pass
// is repeated only when a location changes after something read it) find
// exactly what repeating passes until nothing changes finds, on every test
// script and on a generated corpus.
func TestFastSolverMatchesStrict(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "scripts", "*", "*.lua"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := luagen.Generate(dir, luagen.Options{N: 300, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	gen, err := filepath.Glob(filepath.Join(dir, "*", "*.lua"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, gen...)
	if len(files) < 300 {
		t.Fatalf("only %d files", len(files))
	}
	cfg := analyzer.Options{Rules: rules.All()}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fast := analyzer.Analyze(f, src, &cfg)
		strict := analyzer.AnalyzeStrict(f, src, cfg)
		analyzer.SortFindings(fast)
		analyzer.SortFindings(strict)
		if !reflect.DeepEqual(summarise(fast), summarise(strict)) {
			t.Errorf("%s: fast solver %v\nstrict solver %v", f, summarise(fast), summarise(strict))
		}
	}
}

func summarise(fs []analyzer.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = fmt.Sprintf("%d:%d %s %s", f.Start.Line, f.Start.Column, f.RuleID, f.Message)
	}
	return out
}

// TestDeterministic analyses every test script several times: findings and
// messages must not depend on map order or evaluation order.
func TestDeterministic(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "scripts", "*", "*.lua"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := analyzer.Options{Rules: rules.All()}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		first := analyzer.Analyze(f, src, &cfg)
		analyzer.SortFindings(first)
		for i := 0; i < 4; i++ {
			again := analyzer.Analyze(f, src, &cfg)
			analyzer.SortFindings(again)
			if !reflect.DeepEqual(summarise(first), summarise(again)) {
				t.Fatalf("%s: run %d differs:\n%v\n%v", f, i+2, summarise(first), summarise(again))
			}
		}
	}
}
