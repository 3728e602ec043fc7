package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/rules"
)

// TestRelatedLocations checks that a finding's related locations (WL803's
// writes) reach SARIF's relatedLocations, numbered from 1 with a message
// and a region, and JSON's "related"; and that findings without any keep
// both absent.
func TestRelatedLocations(t *testing.T) {
	const root = "/src/project"
	src := "n = 0\n" +
		"function request()\n  n = n + 1\n  return wrk.format()\nend\n" +
		"function response()\n  n = n + 2\nend\n" +
		"function done()\n  print(n)\nend\n" +
		"os.remove(\"x\")\n"
	path := filepath.Join(root, "a.lua")
	fs := analyzer.AnalyzeSource(path, []byte(src), rules.All(), nil)
	analyzer.SortFindings(fs)
	res := &analyzer.Result{Findings: fs, Files: 1}

	var sarif struct {
		Runs []struct {
			Results []struct {
				RuleID  string `json:"ruleId"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				RelatedLocations []struct {
					ID               int `json:"id"`
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
				} `json:"relatedLocations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarifBytes(t, res, root, rules.All()), &sarif); err != nil {
		t.Fatal(err)
	}
	var jsonOut struct {
		Findings []struct {
			Rule    string `json:"rule"`
			Related []struct {
				Line    int    `json:"line"`
				Column  int    `json:"column"`
				Message string `json:"message"`
			} `json:"related"`
		} `json:"findings"`
	}
	var buf bytes.Buffer
	if err := JSON(&buf, res, "1"); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &jsonOut); err != nil {
		t.Fatal(err)
	}
	sawWL803 := false
	for i, r := range sarif.Runs[0].Results {
		jf := jsonOut.Findings[i]
		if r.RuleID != "WL803" {
			if len(r.RelatedLocations) != 0 || len(jf.Related) != 0 {
				t.Errorf("%s has related locations: %+v %+v", r.RuleID, r.RelatedLocations, jf.Related)
			}
			continue
		}
		sawWL803 = true
		if !strings.HasSuffix(r.Message.Text, " (see [line 3](1), [line 7](2))") {
			t.Errorf("SARIF message does not link its related locations: %q", r.Message.Text)
		}
		wantLines := []int{3, 7} // the writes in request() and response()
		if len(r.RelatedLocations) != len(wantLines) || len(jf.Related) != len(wantLines) {
			t.Fatalf("WL803 related: SARIF %+v, JSON %+v, want lines %v", r.RelatedLocations, jf.Related, wantLines)
		}
		for j, rel := range r.RelatedLocations {
			if rel.ID != j+1 || rel.PhysicalLocation.Region.StartLine != wantLines[j] ||
				rel.PhysicalLocation.Region.StartColumn != 3 || rel.PhysicalLocation.ArtifactLocation.URI != "a.lua" || rel.Message.Text == "" {
				t.Errorf("SARIF related location %d = %+v", j, rel)
			}
			if jf.Related[j].Line != wantLines[j] || jf.Related[j].Column != 3 || jf.Related[j].Message != rel.Message.Text {
				t.Errorf("JSON related %d = %+v", j, jf.Related[j])
			}
		}
	}
	if !sawWL803 {
		t.Fatalf("no WL803 finding in %+v", fs)
	}
}

func TestLinkRelatedEscapes(t *testing.T) {
	f := &analyzer.Finding{Message: `wrk.headers["X"] [x] \ y`, Related: []analyzer.Location{
		{Start: analyzer.Position{Line: 4}}, {Start: analyzer.Position{Line: 9}},
	}}
	want := `wrk.headers\["X"\] \[x\] \\ y (see [line 4](1), [line 9](2))`
	if got := linkRelated(f); got != want {
		t.Errorf("linkRelated = %q, want %q", got, want)
	}
}

// TestRelatedOtherFile checks a related place in another file of the
// program (the call in main.lua that reaches a module): SARIF's related
// location names that file and the link says which file, JSON's related
// entry has "file".
func TestRelatedOtherFile(t *testing.T) {
	const root = "/src/project"
	pos := func(line, col int) analyzer.Position {
		return analyzer.Position{Line: line, Column: col, ColumnUTF16: col}
	}
	f := analyzer.Finding{RuleID: "WL501", Name: "ResponseDataOutput", Level: analyzer.LevelError,
		File: root + "/helper.lua", Start: pos(4, 3), End: pos(4, 11), Message: "response body reaches print",
		Related: []analyzer.Location{{File: root + "/main.lua", Start: pos(4, 3), End: pos(4, 15), Message: "called from here"}}}
	res := &analyzer.Result{Findings: []analyzer.Finding{f}, Files: 1}

	out := string(sarifBytes(t, res, root, rules.All()))
	for _, want := range []string{`"uri": "main.lua"`, `"uri": "helper.lua"`, `(see [main.lua line 4](1))`} {
		if !strings.Contains(out, want) {
			t.Errorf("SARIF lacks %s:\n%s", want, out)
		}
	}
	var buf bytes.Buffer
	if err := JSON(&buf, res, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Findings []struct {
			File    string `json:"file"`
			Related []struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"related"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(buf.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || len(rep.Findings[0].Related) != 1 || rep.Findings[0].Related[0].File != root+"/main.lua" || rep.Findings[0].Related[0].Line != 4 {
		t.Errorf("JSON related %+v", rep.Findings)
	}
}
