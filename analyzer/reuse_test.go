package analyzer

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReusedBuffersMatchFresh analyses the annotated scripts one after
// another with one worker's buffers, as Run does, and checks that every
// file's solved values and taint (every expression read, every call site)
// are what a fresh analysis of that file alone gives: nothing recycled
// from one file (slab chunks, slices, indexes) may leak into the next.
func TestReusedBuffersMatchFresh(t *testing.T) {
	t.Parallel()
	var files []string
	for _, dir := range []string{"malicious", "benign", "correctness"} {
		m, err := filepath.Glob(filepath.Join("..", "testdata", "scripts", dir, "*.lua"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 100 {
		t.Fatalf("found %d scripts, want the annotated set", len(files))
	}
	// dump reports the solver's state as findings: one per expression read
	// and one per call site, with their values and taint.
	dump := &Rule{ID: "WL999", Name: "Dump", Level: LevelWarning, Run: func(p *Pass) error {
		for _, r := range p.Refs() {
			p.Reportf(r.Expr, "ref %d %s", r.Role, describeSet(p.Values(r.Expr)))
		}
		for _, c := range p.Calls() {
			var args []string
			for _, a := range c.ArgVals {
				args = append(args, describeSet(a))
			}
			p.Reportf(c.Expr, "call %s (%s) indirect=%v", describeSet(c.Callee), strings.Join(args, "; "), c.Indirect)
		}
		return nil
	}}
	cfg := &Options{Rules: []*Rule{dump}}
	buf := &buffers{}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got := analyzeWith(path, src, cfg, buf)
		want := analyzeWith(path, src, cfg, nil)
		if !slices.EqualFunc(got, want, func(a, b Finding) bool { return a.Message == b.Message && a.Start == b.Start }) {
			t.Errorf("%s: analysed after other files, %d findings differ from a fresh analysis (%d)", path, len(got), len(want))
		}
	}
}

// describeSet renders a set's values and taint, tables and functions by
// their source position.
func describeSet(s *ValueSet) string {
	var b strings.Builder
	for _, v := range s.Values() {
		switch v.Kind {
		case KTable:
			if v.Table.Node != nil {
				fmt.Fprintf(&b, "table@%d ", v.Table.Node.Line())
			} else {
				b.WriteString("table ")
			}
		case KFunc:
			b.WriteString("function ")
		default:
			b.WriteString(v.String() + " ")
		}
	}
	for _, src := range s.Taint() {
		fmt.Fprintf(&b, "%+v ", src)
	}
	return b.String()
}
