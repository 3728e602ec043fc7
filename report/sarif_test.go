package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/rules"
)

// fakeRules stand in for the catalogue in the golden file, so that adding
// or rewording a real rule does not rewrite it. They report calls of the
// function they name.
func fakeRules() []*analyzer.Rule {
	call := func(id, name, fn string, level analyzer.Level, cwe int) *analyzer.Rule {
		return &analyzer.Rule{
			ID: id, Name: name, Level: level, CWE: cwe, Precision: "high",
			Title:       "Fake: calls " + fn,
			Description: "A fake rule reporting calls of " + fn + ".",
			Help:        "Remove the `" + fn + "` call.",
			Bad:         fn + "(\"x\")\n",
			Good:        "print(\"x\")\n",
			Run: func(p *analyzer.Pass) error {
				for _, c := range p.CallsTo(fn) {
					p.Reportf(c.Node, "%s is called", fn)
				}
				return nil
			},
		}
	}
	return []*analyzer.Rule{
		call("WL901", "FakeExec", "os.execute", analyzer.LevelError, 78),
		call("WL902", "FakeEnv", "os.getenv", analyzer.LevelWarning, 526),
		call("WL903", "FakeRemove", "os.remove", analyzer.LevelNote, 0),
	}
}

// sarifSource analyses a small script in a fixed root so the SARIF log is
// deterministic: a non-ASCII line (UTF-16 columns), a suppressed finding,
// and the same finding twice on identical lines (fingerprint occurrences).
func sarifSource(t *testing.T, root string) *analyzer.Result {
	t.Helper()
	src := "local s = \"héllo😀\"; os.execute(s)\n" +
		"os.getenv(\"HOME\") -- wrklint:ignore WL902 -- only the name is needed\n" +
		"os.remove(\"a\")\n" +
		"os.remove(\"a\")\n"
	path := filepath.Join(root, "scripts", "a.lua")
	fs := analyzer.AnalyzeSource(path, []byte(src), fakeRules(), nil)
	analyzer.SortFindings(fs)
	return &analyzer.Result{
		Findings: fs,
		Errors:   []*analyzer.FileError{{Path: filepath.Join(root, "missing.lua"), Err: os.ErrNotExist}},
		Files:    1,
	}
}

func sarifBytes(t *testing.T, res *analyzer.Result, root string, catalogue []*analyzer.Rule) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := SARIF(&buf, res, SARIFOptions{Version: "1.2.3", Rules: catalogue, SrcRoot: root, AutomationID: "wrklint/"})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSARIFGolden(t *testing.T) {
	const root = "/src/project"
	checkGolden(t, "sarif.golden", sarifBytes(t, sarifSource(t, root), root, fakeRules()))
}

func TestSARIFSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	schemaFile, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer schemaFile.Close()
	doc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("sarif-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for name, tt := range map[string]struct {
		res       *analyzer.Result
		catalogue []*analyzer.Rule
	}{
		"sample": {sarifSource(t, root), fakeRules()},
		"empty":  {&analyzer.Result{}, rules.All()},
		"corpus": {analyzer.Run(analyzer.Options{Rules: rules.All()}, []string{filepath.Join("..", "testdata", "scripts")}), rules.All()},
	} {
		t.Run(name, func(t *testing.T) {
			out := sarifBytes(t, tt.res, root, tt.catalogue)
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(inst); err != nil {
				t.Fatalf("SARIF does not match the 2.1.0 schema: %v", err)
			}
		})
	}
}

// TestSARIFGitHubRules checks what GitHub requires and the Multitool does
// not catch: valid levels, security-severity as a numeric string, tags,
// fingerprints, relative URIs, UTF-16 columns, the result limit, and
// suppressions kept rather than dropped.
func TestSARIFGitHubRules(t *testing.T) {
	root := t.TempDir()
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name, Version, InformationURI string
					Rules                         []struct {
						ID, Name         string
						ShortDescription struct{ Text string }
						Properties       struct {
							Tags             []string
							SecuritySeverity string `json:"security-severity"`
							Precision        string
						}
					}
				}
			}
			AutomationDetails struct{ ID string }
			Results           []struct {
				RuleID    string
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
				PartialFingerprints map[string]string
				Suppressions        []struct{ Kind, Justification string }
			}
		}
	}
	catalogue := append(rules.All(), fakeRules()...)
	if err := json.Unmarshal(sarifBytes(t, sarifSource(t, root), root, catalogue), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "wrklint" || d.Version != "1.2.3" || !strings.HasPrefix(d.InformationURI, "https://") {
		t.Errorf("driver %+v", d)
	}
	if len(d.Rules) != len(catalogue) {
		t.Errorf("%d rules, want the whole catalogue (%d)", len(d.Rules), len(catalogue))
	}
	for _, r := range d.Rules {
		if r.Name == r.ID || r.ShortDescription.Text == "" || len(r.Properties.Tags) == 0 {
			t.Errorf("rule %s incomplete: %+v", r.ID, r)
		}
		if sev := r.Properties.SecuritySeverity; sev != "" {
			if v, err := strconv.ParseFloat(sev, 64); err != nil || v < 0.1 || v > 10 {
				t.Errorf("rule %s security-severity %q is not a number in 0.1-10", r.ID, sev)
			}
		}
		for _, tag := range r.Properties.Tags {
			if strings.HasPrefix(tag, "external/cwe/") && !strings.HasPrefix(tag, "external/cwe/cwe-") {
				t.Errorf("rule %s tag %q", r.ID, tag)
			}
		}
	}
	if run.AutomationDetails.ID == "" {
		t.Error("no runAutomationDetails.id")
	}
	suppressed := 0
	prints := map[string]bool{}
	for _, r := range run.Results {
		switch r.Level {
		case "error", "warning", "note", "none":
		default:
			t.Errorf("result level %q", r.Level)
		}
		loc := r.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || loc.ArtifactLocation.URI != "scripts/a.lua" {
			t.Errorf("artifact location %+v, want scripts/a.lua under %%SRCROOT%%", loc.ArtifactLocation)
		}
		if loc.Region.StartLine < 1 || loc.Region.StartColumn < 1 || loc.Region.EndLine < loc.Region.StartLine {
			t.Errorf("region %+v", loc.Region)
		}
		fp := r.PartialFingerprints["primaryLocationLineHash"]
		if fp == "" || prints[fp] {
			t.Errorf("fingerprint %q missing or repeated", fp)
		}
		prints[fp] = true
		if len(r.Suppressions) > 0 {
			suppressed++
			if r.Suppressions[0].Kind != "inSource" || r.Suppressions[0].Justification != "only the name is needed" {
				t.Errorf("suppression %+v", r.Suppressions[0])
			}
		}
		if r.RuleID == "WL901" {
			// "local s = \"héllo😀\"; " is 21 UTF-16 units (😀 is two): os.execute(s) is 22-35.
			if loc.Region.StartColumn != 22 || loc.Region.EndColumn != 35 {
				t.Errorf("WL901 region %+v, want UTF-16 columns 22-35", loc.Region)
			}
		}
	}
	if suppressed != 1 {
		t.Errorf("%d suppressed results, want 1 (suppressed findings must stay in the log)", suppressed)
	}
	if len(run.Results) > 25000 {
		t.Errorf("%d results, over GitHub's limit", len(run.Results))
	}
}

func TestFingerprintsStableWhenLinesMove(t *testing.T) {
	before := "os.execute('id')\nlocal x = 1\n"
	after := "-- a new comment\nlocal y = 2\n\nos.execute('id')\nlocal x = 1\n"
	fp := func(src string) string {
		fs := analyzer.AnalyzeSource("m.lua", []byte(src), rules.All(), nil)
		if len(fs) != 1 {
			t.Fatalf("want one finding, got %v", fs)
		}
		return Fingerprints(fs)[0]
	}
	if a, b := fp(before), fp(after); a != b {
		t.Errorf("fingerprint changed when unrelated lines moved: %s vs %s", a, b)
	}
	if fp(before) == fp("os.execute('whoami')\n") {
		t.Error("different lines share a fingerprint")
	}
}
