package rules_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/rules"
)

var (
	wantRe = regexp.MustCompile(`--\s*want(?:@([+-]\d+))?((?:\s+WL\d{3}\b)+)`)
	idRe   = regexp.MustCompile(`^WL\d{3}$`)
)

// expectations reads the "-- want WL101 WL103" annotations of a script:
// one entry per expected finding, as "line:ID". "-- want@-1 WL001" expects
// the finding one line above, for lines that cannot carry a comment (inside
// a multi-line string).
func expectations(src string) []string {
	var want []string
	for i, line := range strings.Split(src, "\n") {
		m := wantRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		line := i + 1
		if m[1] != "" {
			off, err := strconv.Atoi(m[1])
			if err != nil {
				panic(err)
			}
			line += off
		}
		for _, id := range strings.Fields(m[2]) {
			want = append(want, fmt.Sprintf("%d:%s", line, id))
		}
	}
	sort.Strings(want)
	return want
}

// diff returns the elements of a missing from b, counting duplicates.
func diff(a, b []string) []string {
	count := map[string]int{}
	for _, x := range b {
		count[x]++
	}
	var out []string
	for _, x := range a {
		if count[x] > 0 {
			count[x]--
			continue
		}
		out = append(out, x)
	}
	return out
}

// TestScripts runs every rule over testdata/scripts and requires exactly
// the annotated findings: a missing or an unexpected finding fails.
func TestScripts(t *testing.T) {
	root := filepath.Join("..", "testdata", "scripts")
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".lua") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 40 {
		t.Fatalf("found %d scripts under %s, want at least 40", len(files), root)
	}
	all := rules.All()
	for _, file := range files {
		t.Run(strings.TrimPrefix(filepath.ToSlash(file), "../testdata/scripts/"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := expectations(string(src))
			var got []string
			byKey := map[string]analyzer.Finding{}
			for _, f := range analyzer.AnalyzeSource(file, src, all, &analyzer.Policy{}) {
				if f.Suppression != nil {
					continue // suppressed by a directive: reported only in SARIF
				}
				k := fmt.Sprintf("%d:%s", f.Start.Line, f.RuleID)
				got = append(got, k)
				byKey[k] = f
			}
			sort.Strings(got)
			for _, k := range diff(got, want) {
				f := byKey[k]
				t.Errorf("unexpected finding %s:%d:%d: %s %s", file, f.Start.Line, f.Start.Column, f.RuleID, f.Message)
			}
			for _, k := range diff(want, got) {
				t.Errorf("missing finding %s:%s", file, k)
			}
			if strings.Contains(file, "/benign/") {
				for _, k := range got {
					if f := byKey[k]; f.Level >= analyzer.LevelError {
						t.Errorf("benign script has an error-level finding: %s", f)
					}
				}
			}
		})
	}
}

func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for _, r := range rules.All() {
		if !idRe.MatchString(r.ID) {
			t.Errorf("rule ID %q does not match WLddd", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("duplicate rule ID %s", r.ID)
		}
		seen[r.ID] = true
		if r.ID <= prev {
			t.Errorf("rules out of ID order: %s after %s", r.ID, prev)
		}
		prev = r.ID
		if r.Name == "" || r.Name == r.ID || strings.ContainsAny(r.Name, " _-") || r.Name[0] < 'A' || r.Name[0] > 'Z' {
			t.Errorf("%s: name %q is not PascalCase", r.ID, r.Name)
		}
		if r.Title == "" || strings.HasSuffix(r.Title, ".") || r.Title[0] < 'A' || r.Title[0] > 'Z' || len(r.Title) > 80 {
			t.Errorf("%s: title %q must be a capitalised phrase without a period", r.ID, r.Title)
		}
		if r.Description == "" || r.Help == "" {
			t.Errorf("%s: missing description or help", r.ID)
		}
		if r.Level == analyzer.LevelNone {
			t.Errorf("%s: no default level", r.ID)
		}
		if r.Run == nil && r.ID != "WL001" && r.ID != "WL002" && r.ID != "WL003" {
			t.Errorf("%s: nil Run", r.ID)
		}
		switch r.Precision {
		case "very-high", "high", "medium", "low":
		default:
			t.Errorf("%s: precision %q", r.ID, r.Precision)
		}
	}
}

// TestExamples checks every rule's documented examples: the bad one is
// reported by the rule, the good one is not. The policy allows BENCH_TOKEN,
// as the examples say.
func TestExamples(t *testing.T) {
	all := rules.All()
	cfg := &analyzer.Options{Rules: all, Policy: analyzer.Policy{Env: []string{"BENCH_TOKEN"}}}
	has := func(src, id string) bool {
		for _, f := range analyzer.Analyze("example.lua", []byte(src), cfg) {
			if f.RuleID == id && f.Suppression == nil {
				return true
			}
		}
		return false
	}
	for _, r := range all {
		if r.Bad == "" || r.Good == "" {
			t.Errorf("%s: missing Bad or Good example", r.ID)
			continue
		}
		if !has(r.Bad, r.ID) {
			t.Errorf("%s: bad example not reported:\n%s", r.ID, r.Bad)
		}
		if has(r.Good, r.ID) {
			t.Errorf("%s: good example reported:\n%s", r.ID, r.Good)
		}
	}
}
