package rules_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/rules"
)

var (
	// wantRe finds an annotation: "-- want" (optionally @+n/@-n), then
	// rule IDs, each optionally followed by a quoted message pattern.
	wantRe  = regexp.MustCompile(`--\s*want(?:@([+-]\d+))?((?:\s+WL\d{3}\b(?:\s+"(?:[^"\\]|\\.)*")?)+)`)
	tokenRe = regexp.MustCompile(`WL\d{3}|"(?:[^"\\]|\\.)*"`)
	idRe    = regexp.MustCompile(`^WL\d{3}$`)
)

// expectation is one expected finding: its line, its rule and, when the
// annotation gives one, a regexp its message must match.
type expectation struct {
	line    int
	id      string
	pattern *regexp.Regexp // nil: any message
}

func (e expectation) String() string {
	if e.pattern == nil {
		return fmt.Sprintf("%d:%s", e.line, e.id)
	}
	return fmt.Sprintf("%d:%s %q", e.line, e.id, e.pattern)
}

// expectations reads the annotations of a script, one entry per expected
// finding: "-- want WL101 WL103", "-- want WL501 \"response body\"" (the
// quoted Go string is a regexp the message must match, as analysistest
// does), and "-- want@-1 WL001" for a finding one line above, for lines
// that cannot carry a comment (inside a multi-line string).
func expectations(src string) ([]expectation, error) {
	var want []expectation
	for i, text := range strings.Split(src, "\n") {
		m := wantRe.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		line := i + 1
		if m[1] != "" {
			off, err := strconv.Atoi(m[1])
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", i+1, err)
			}
			line += off
		}
		for _, tok := range tokenRe.FindAllString(m[2], -1) {
			if !strings.HasPrefix(tok, `"`) {
				want = append(want, expectation{line: line, id: tok})
				continue
			}
			pat, err := strconv.Unquote(tok)
			if err != nil {
				return nil, fmt.Errorf("line %d: pattern %s: %w", i+1, tok, err)
			}
			re, err := regexp.Compile(pat)
			if err != nil {
				return nil, fmt.Errorf("line %d: pattern %s: %w", i+1, tok, err)
			}
			want[len(want)-1].pattern = re
		}
	}
	return want, nil
}

// match pairs findings with expectations on the same line and rule,
// expectations with a pattern first (each takes the first finding whose
// message matches), and returns what is left on either side.
func match(findings []analyzer.Finding, want []expectation) (unexpected []analyzer.Finding, missing []expectation) {
	used := make([]bool, len(findings))
	take := func(e expectation) bool {
		for i, f := range findings {
			if !used[i] && f.Start.Line == e.line && f.RuleID == e.id && (e.pattern == nil || e.pattern.MatchString(f.Message)) {
				used[i] = true
				return true
			}
		}
		return false
	}
	for _, withPattern := range []bool{true, false} {
		for _, e := range want {
			if (e.pattern != nil) == withPattern && !take(e) {
				missing = append(missing, e)
			}
		}
	}
	for i, f := range findings {
		if !used[i] {
			unexpected = append(unexpected, f)
		}
	}
	return unexpected, missing
}

// TestExpectations: the annotation reader, patterns included.
func TestExpectations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src  string
		want []string // expectation.String()
		err  string
	}{
		{"x() -- want WL103", []string{"1:WL103"}, ""},
		{"\nx() -- want WL103 WL503 WL504", []string{"2:WL103", "2:WL503", "2:WL504"}, ""},
		{`x() -- want WL501 "response body" WL103`, []string{`1:WL501 "response body"`, "1:WL103"}, ""},
		{`x() -- want WL502 "variable \"API_TOKEN\" from line \\d+"`, []string{`1:WL502 "variable \"API_TOKEN\" from line \\d+"`}, ""},
		{"a\nb -- want@-1 WL001", []string{"1:WL001"}, ""},
		{`x() -- want WL501 "("`, nil, "error parsing regexp"},
		{"x() -- wanted nothing", nil, ""},
	}
	for _, tt := range tests {
		got, err := expectations(tt.src)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err %v, want %q", tt.src, err, tt.err)
			}
			continue
		}
		var s []string
		for _, e := range got {
			s = append(s, e.String())
		}
		if err != nil || strings.Join(s, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q: %q, %v; want %q", tt.src, s, err, tt.want)
		}
	}
	// A pattern decides which of two findings of one rule on a line it
	// claims, and a message that matches no pattern is unexpected.
	f := func(id, msg string) analyzer.Finding {
		return analyzer.Finding{RuleID: id, Start: analyzer.Position{Line: 1}, Message: msg}
	}
	want, err := expectations(`x -- want WL502 WL502 "API_TOKEN"`)
	if err != nil {
		t.Fatal(err)
	}
	if u, m := match([]analyzer.Finding{f("WL502", "API_TOKEN reaches print"), f("WL502", "HOME reaches print")}, want); len(u)+len(m) != 0 {
		t.Errorf("unexpected %v, missing %v", u, m)
	}
	if u, m := match([]analyzer.Finding{f("WL502", "HOME reaches print"), f("WL502", "PATH reaches print")}, want); len(u) != 1 || len(m) != 1 {
		t.Errorf("a pattern matching no message: unexpected %v, missing %v", u, m)
	}
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
			want, err := expectations(string(src))
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			var got []analyzer.Finding
			for _, f := range analyzer.AnalyzeSource(file, src, all, &analyzer.Policy{}) {
				if f.Suppression != nil {
					continue // suppressed by a directive: reported only in SARIF
				}
				got = append(got, f)
			}
			unexpected, missing := match(got, want)
			for _, f := range unexpected {
				t.Errorf("unexpected finding %s:%d:%d: %s %s", file, f.Start.Line, f.Start.Column, f.RuleID, f.Message)
			}
			for _, e := range missing {
				t.Errorf("missing finding %s:%s", file, e)
			}
			if strings.Contains(file, "/benign/") {
				for _, f := range got {
					if f.Level >= analyzer.LevelError {
						t.Errorf("benign script has an error-level finding: %s", f)
					}
				}
			}
		})
	}
}

// TestPrograms runs every rule over each directory of testdata/programs as
// one program (its main.lua and the modules it requires) and requires
// exactly the findings annotated in any of its files.
func TestPrograms(t *testing.T) {
	root := filepath.Join("..", "testdata", "programs")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &analyzer.Options{Rules: rules.All()}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join(root, d.Name())
		t.Run(d.Name(), func(t *testing.T) {
			var want []string
			patterns := map[string]*regexp.Regexp{}
			err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
				if err != nil || e.IsDir() || !strings.HasSuffix(p, ".lua") {
					return err
				}
				src, err := os.ReadFile(p) //nolint:gosec // G122: the repository's own testdata
				if err != nil {
					return err
				}
				exps, err := expectations(string(src))
				if err != nil {
					return fmt.Errorf("%s: %w", p, err)
				}
				for _, x := range exps {
					k := fmt.Sprintf("%s:%d:%s", filepath.ToSlash(p), x.line, x.id)
					want = append(want, k)
					if x.pattern != nil {
						patterns[k] = x.pattern
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			main := filepath.Join(dir, "main.lua")
			src, err := os.ReadFile(main)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range analyzer.AnalyzeProgram(main, src, cfg).Findings {
				if f.Suppression == nil {
					k := fmt.Sprintf("%s:%d:%s", filepath.ToSlash(f.File), f.Start.Line, f.RuleID)
					got = append(got, k)
					if re := patterns[k]; re != nil && !re.MatchString(f.Message) {
						t.Errorf("%s: message %q does not match %s", k, f.Message, re)
					}
				}
			}
			for _, k := range notIn(got, want) {
				t.Errorf("unexpected finding %s", k)
			}
			for _, k := range notIn(want, got) {
				t.Errorf("missing finding %s", k)
			}
		})
	}
}

// notIn returns the elements of a that b does not have, counting
// repetitions.
func notIn(a, b []string) []string {
	left := map[string]int{}
	for _, x := range b {
		left[x]++
	}
	var out []string
	for _, x := range a {
		if left[x] > 0 {
			left[x]--
			continue
		}
		out = append(out, x)
	}
	return out
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
		if r.Run == nil && r.ID != "WL001" && r.ID != "WL002" && r.ID != "WL003" && r.ID != "WL004" {
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
	// WL004 is about modules: the examples are analysed as programs.
	cfg := &analyzer.Options{Rules: all, Policy: analyzer.Policy{Env: []string{"BENCH_TOKEN"}}, FollowModules: true}
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
