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

// TestBodyRedoMatchesStrict covers the solver's second chance inside a
// function body: a location the body reads and then changes is settled by
// evaluating that body again, not the whole pass, unless something before
// the body (or a body it calls) read it too. Each script must find what
// the strict solver finds, and the finding that depends on the late write
// must be there.
func TestBodyRedoMatchesStrict(t *testing.T) {
	t.Parallel()
	// want is the rule of the finding that only the late write causes.
	cases := []struct {
		name, src, want string
	}{
		{"read then written in one hook", `
local cmd = "true"
function setup(thread)
   os.execute(cmd)
   cmd = os.getenv("CMD")
end
`, "WL504"},
		{"written through a table field", `
local t = {cmd = "true"}
function init(args)
   os.execute(t.cmd)
   t.cmd = args[1]
end
`, "WL504"},
		{"read before the body too", `
local cmd = "true"
local copy = cmd
function setup(thread)
   os.execute(cmd)
   cmd = os.getenv("CMD")
end
`, "WL504"},
		{"written by a body the hook calls", `
local cmd = "true"
local function change() cmd = os.getenv("CMD") end
function setup(thread)
   os.execute(cmd)
   change()
end
`, "WL504"},
		{"inner function reads, outer writes", `
local cmd = "true"
function request()
   local function run() os.execute(cmd) end
   run()
   cmd = os.getenv("CMD")
   return wrk.format()
end
`, "WL504"},
		{"chain that settles over several rounds", `
local a, b, c = "x", "y", "z"
function init(args)
   os.execute(a)
   a = b
   b = c
   c = os.getenv("CMD")
end
`, "WL504"},
	}
	cfg := analyzer.Options{Rules: rules.All()}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fast := analyzer.Analyze("redo.lua", []byte(tc.src), &cfg)
			strict := analyzer.AnalyzeStrict("redo.lua", []byte(tc.src), cfg)
			analyzer.SortFindings(fast)
			analyzer.SortFindings(strict)
			got, want := summarise(fast), summarise(strict)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("fast solver %v\nstrict solver %v", got, want)
			}
			found := false
			for _, f := range fast {
				found = found || f.RuleID == tc.want
			}
			if !found {
				t.Errorf("no %s finding in %v", tc.want, got)
			}
		})
	}
}
