package report

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
)

// ciResult is a result for the CI formats: every level, characters the
// formats must escape in paths and messages (%, :, ",", CR, LF, XML
// markup, a control character), non-ASCII text before a finding (byte
// and UTF-16 columns differ), an absolute path below the source root, a
// suppressed finding and an unreadable path.
func ciResult() *analyzer.Result {
	return &analyzer.Result{
		Files: 3,
		Findings: []analyzer.Finding{
			{
				RuleID: "WL103", Name: "CommandExecution", Level: analyzer.LevelError, CWE: 78,
				File:     "/src/repo/scripts/a,b:c%.lua",
				Start:    analyzer.Position{Line: 3, Column: 5, ColumnUTF16: 5},
				End:      analyzer.Position{Line: 3, Column: 15, ColumnUTF16: 15},
				Message:  "os.execute runs a shell command\r\n::error::injected 100% <b>&\x01",
				LineText: `  os.execute("id") -- <&>`,
			},
			{
				RuleID: "WL201", Name: "EnvironmentRead", Level: analyzer.LevelWarning,
				File:    "scripts/ümlaut.lua",
				Start:   analyzer.Position{Line: 2, Column: 34, ColumnUTF16: 32},
				End:     analyzer.Position{Line: 2, Column: 52, ColumnUTF16: 50},
				Message: `os.getenv reads "TOKEN"`,
			},
			{
				RuleID: "WL003", Name: "UnusedSuppression", Level: analyzer.LevelNote,
				File:    "scripts/ümlaut.lua",
				Start:   analyzer.Position{Line: 4, Column: 1, ColumnUTF16: 1},
				End:     analyzer.Position{Line: 4, Column: 1, ColumnUTF16: 1}, // empty range
				Message: "this suppression of WL102 suppressed nothing",
			},
			{
				RuleID: "WL201", Name: "EnvironmentRead", Level: analyzer.LevelWarning,
				File:        "scripts/ümlaut.lua",
				Start:       analyzer.Position{Line: 5, Column: 11, ColumnUTF16: 11},
				End:         analyzer.Position{Line: 5, Column: 31, ColumnUTF16: 31},
				Message:     "suppressed, never shown",
				Suppression: &analyzer.Suppression{Kind: "inSource", Justification: "CI"},
			},
		},
		Errors: []*analyzer.FileError{{Path: "missing.lua", Err: errNoSuchFile}},
	}
}

var errNoSuchFile = &testError{"no such file or directory"}

type testError struct{ s string }

func (e *testError) Error() string { return e.s }

func TestGitHub(t *testing.T) {
	tests := []struct {
		name, golden string
		res          *analyzer.Result
		want         []string
	}{
		{
			name: "sample", golden: "github.golden", res: ciResult(),
			want: []string{
				// ':' and ',' escaped in properties, CR and LF in the message,
				// so the injected "::error::" stays inside one annotation.
				"::error file=scripts/a%2Cb%3Ac%25.lua,line=3,col=5,endLine=3,endColumn=15,title=WL103 CommandExecution::os.execute runs a shell command%0D%0A::error::injected 100%25 <b>&\x01\n",
				"::warning file=scripts/ümlaut.lua,line=2,col=32,endLine=2,endColumn=50,title=WL201 EnvironmentRead::",
				"::notice file=scripts/ümlaut.lua,line=4,col=1,endLine=4,endColumn=2,title=WL003 UnusedSuppression::",
				"::error title=wrklint%3A unreadable path::missing.lua: no such file or directory\n",
			},
		},
		{name: "empty", golden: "github_empty.golden", res: &analyzer.Result{Files: 2}, want: []string{"no findings in 2 files\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := GitHub(&buf, tt.res, GitHubOptions{SrcRoot: "/src/repo"}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, "suppressed, never shown") {
				t.Errorf("a suppressed finding is annotated:\n%s", out)
			}
			// Every line is one command or the summary: nothing a message
			// holds can start a line of its own.
			cmd := regexp.MustCompile(`^::(error|warning|notice) [^:]*::`)
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			for _, l := range lines[:len(lines)-1] {
				if !cmd.MatchString(l) {
					t.Errorf("line is not a workflow command: %q", l)
				}
			}
			checkGolden(t, tt.golden, buf.Bytes())
		})
	}
}

// TestJUnit decodes the report with encoding/xml and checks the counts,
// then compares it with its golden file.
func TestJUnit(t *testing.T) {
	type problem struct {
		Type    string `xml:"type,attr"`
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		ClassName string   `xml:"classname,attr"`
		File      string   `xml:"file,attr"`
		Line      int      `xml:"line,attr"`
		Failure   *problem `xml:"failure"`
		Error     *problem `xml:"error"`
	}
	type testsuite struct {
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Errors   int        `xml:"errors,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	var doc struct {
		XMLName  xml.Name    `xml:"testsuites"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Suites   []testsuite `xml:"testsuite"`
	}
	var buf bytes.Buffer
	if err := JUnit(&buf, ciResult()); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not valid XML: %v\n%s", err, buf.String())
	}
	if doc.Tests != 4 || doc.Failures != 3 || doc.Errors != 1 {
		t.Errorf("testsuites counts tests=%d failures=%d errors=%d, want 4, 3, 1", doc.Tests, doc.Failures, doc.Errors)
	}
	var names []string
	for _, s := range doc.Suites {
		names = append(names, s.Name)
		if s.Tests != len(s.Cases) || s.Failures+s.Errors != s.Tests {
			t.Errorf("suite %s: tests=%d failures=%d errors=%d for %d cases", s.Name, s.Tests, s.Failures, s.Errors, len(s.Cases))
		}
	}
	if got, want := strings.Join(names, " "), "/src/repo/scripts/a,b:c%.lua missing.lua scripts/ümlaut.lua"; got != want {
		t.Errorf("suites %q, want %q", got, want)
	}
	first := doc.Suites[0].Cases[0]
	if first.Name != "WL103 CommandExecution" || first.ClassName != "/src/repo/scripts/a,b:c%.lua:3:5" || first.Line != 3 ||
		first.Failure == nil || first.Failure.Type != "error" {
		t.Errorf("first testcase = %+v", first)
	}
	// The message attribute stays one line; the body keeps markup as text.
	if f := first.Failure; f != nil && (strings.ContainsAny(f.Message, "\r\n") || !strings.Contains(f.Text, `os.execute("id") -- <&>`)) {
		t.Errorf("failure = %+v", f)
	}
	if e := doc.Suites[1].Cases[0].Error; e == nil || e.Message != "missing.lua: no such file or directory" {
		t.Errorf("unreadable path: %+v", doc.Suites[1].Cases[0])
	}

	var empty bytes.Buffer
	if err := JUnit(&empty, &analyzer.Result{Files: 2}); err != nil {
		t.Fatal(err)
	}
	doc.Suites = nil
	if err := xml.Unmarshal(empty.Bytes(), &doc); err != nil || len(doc.Suites) != 0 || doc.Tests != 0 {
		t.Errorf("empty report: %v, %d suites\n%s", err, len(doc.Suites), empty.String())
	}
	checkGolden(t, "junit.golden", buf.Bytes())
	checkGolden(t, "junit_empty.golden", empty.Bytes())
}
