package ruledocs

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/rules"
)

var update = flag.Bool("update", false, "regenerate docs/rules.md, the README rule table and testdata/*.golden")

// The README holds a generated copy of the rule table between these markers.
const (
	readmeStart = "<!-- rules:start -->"
	readmeEnd   = "<!-- rules:end -->"
)

func fakeRules() []*analyzer.Rule {
	return []*analyzer.Rule{
		{
			ID: "WL901", Name: "FakeWrite", Level: analyzer.LevelError, CWE: 73,
			Title:       "Do not write | pipe files",
			Description: "Writing files from a load test leaves state behind.",
			Help:        "Use `print` in `done()` instead.\n\n```lua\nprint(summary)\n```\n",
			Bad:         "io.open(\"out.csv\", \"w\")\n",
			Good:        "\nprint(\"p99\", 12)\n",
			Precision:   "high",
		},
		{ID: "WL902", Name: "FakeNote", Level: analyzer.LevelNote, Title: "Note without CWE"},
	}
}

func TestMarkdownGolden(t *testing.T) {
	tests := []struct {
		name   string
		rules  []*analyzer.Rule
		golden string
	}{
		{"fake rules", fakeRules(), "fake.md.golden"},
		{"empty catalogue", nil, "empty.md.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Markdown(&buf, tt.rules); err != nil {
				t.Fatal(err)
			}
			compare(t, filepath.Join("testdata", tt.golden), buf.Bytes())
		})
	}
}

func TestAnchorAndLinks(t *testing.T) {
	r := fakeRules()[0]
	tests := []struct {
		name, got, want string
	}{
		{"anchor", Anchor(r), "wl901"},
		{"cwe link", CWELink(73), "[CWE-73](https://cwe.mitre.org/data/definitions/73.html)"},
		{"no cwe", CWELink(0), "—"},
		{"cell escapes pipes", cell("a |b\n c"), `a \|b c`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

// TestDocsUpToDate fails when docs/rules.md or the README's rule table no
// longer match rules.All().
func TestDocsUpToDate(t *testing.T) {
	all := rules.All()

	var doc bytes.Buffer
	if err := Markdown(&doc, all); err != nil {
		t.Fatal(err)
	}
	compare(t, filepath.Join("..", "..", "docs", "rules.md"), doc.Bytes())

	readmePath := filepath.Join("..", "..", "README.md")
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := Table(&table, all, "docs/rules.md"); err != nil {
		t.Fatal(err)
	}
	want, err := replaceBetween(string(readme), readmeStart, readmeEnd, "\n\n"+table.String()+"\n")
	if err != nil {
		t.Fatalf("%s: %v", readmePath, err)
	}
	compare(t, readmePath, []byte(want))

	// One page per rule, and no page for a rule that does not exist.
	pages := map[string]bool{}
	for _, r := range all {
		var page bytes.Buffer
		if err := Page(&page, r); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("..", "..", filepath.FromSlash(PagePath(r)))
		pages[filepath.Base(path)] = true
		compare(t, path, page.Bytes())
	}
	entries, err := os.ReadDir(filepath.Join("..", "..", "docs", "rules"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !pages[e.Name()] {
			t.Errorf("docs/rules/%s documents no rule of the catalogue; remove it", e.Name())
		}
	}
}

func replaceBetween(s, start, end, body string) (string, error) {
	i := strings.Index(s, start)
	j := strings.Index(s, end)
	if i < 0 || j < i {
		return "", fmt.Errorf("markers %s and %s not found", start, end)
	}
	return s[:i+len(start)] + body + s[j:], nil
}

func compare(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run %s)", err, Regenerate)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run %s and commit the result\n%s", path, Regenerate, firstDiff(got, want))
	}
}

// firstDiff describes the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g := strings.Split(string(got), "\n")
	w := strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl || i >= len(g) || i >= len(w) {
			return fmt.Sprintf("first difference at line %d:\n  generated: %q\n  committed: %q", i+1, gl, wl)
		}
	}
	return "files differ"
}

// TestTextShowsThePage: `wrklint explain` (Text) carries everything the
// rule's page (Page) says: every prose paragraph and every code line, for
// every rule of the catalogue and the fakes.
func TestTextShowsThePage(t *testing.T) {
	t.Parallel()
	for _, r := range append(rules.All(), fakeRules()...) {
		var page, text bytes.Buffer
		if err := Page(&page, r); err != nil {
			t.Fatal(err)
		}
		if err := Text(&text, r); err != nil {
			t.Fatal(err)
		}
		got := text.String()
		for _, want := range []string{r.ID, r.Name, r.Level.String(), r.Precision, PagePath(r)} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: explain lacks %q", r.ID, want)
			}
		}
		for _, sec := range sections(r) {
			for _, b := range sec.blocks {
				for _, line := range strings.Split(b.text, "\n") {
					if !strings.Contains(page.String(), line) {
						t.Errorf("%s: the page lacks %q", r.ID, line)
					}
					if !strings.Contains(got, line) {
						t.Errorf("%s: explain lacks %q (on the page under %q)", r.ID, line, sec.heading)
					}
				}
			}
			if len(sec.blocks) > 0 && !strings.Contains(got, strings.ToUpper(sec.heading)) {
				t.Errorf("%s: explain lacks the section %q", r.ID, sec.heading)
			}
		}
	}
}
