package report

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"sort"

	"github.com/wrklint/wrklint/analyzer"
)

// JUnit writes a JUnit XML report for CI test-report views (GitLab, Jenkins,
// Azure DevOps), in the shape golangci-lint's junit-xml format uses: one
// <testsuite> per file with findings, named by its path, holding one
// <testcase> per finding (name: the rule, classname: path:line:col) with a
// <failure> whose type is the level. There is no schema for JUnit XML; this
// is the flavour those tools read. A path that could not be read is a
// testsuite with one testcase carrying an <error>. Findings suppressed by
// a directive are left out, as in the text report.
func JUnit(w io.Writer, res *analyzer.Result) error {
	suites := map[string]*junitSuite{}
	suite := func(name string) *junitSuite {
		s := suites[name]
		if s == nil {
			s = &junitSuite{Name: name}
			suites[name] = s
		}
		return s
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Suppression != nil {
			continue
		}
		pos := fmt.Sprintf("%s:%d:%d", f.File, f.Start.Line, f.Start.Column)
		s := suite(f.File)
		s.Tests++
		s.Failures++
		s.Cases = append(s.Cases, junitCase{
			Name:      f.RuleID + " " + f.Name,
			ClassName: pos,
			File:      f.File,
			Line:      f.Start.Line,
			Failure: &junitProblem{
				Type:    f.Level.String(),
				Message: pos + ": " + oneLine(f.Message),
				Text:    junitDetails(f),
			},
		})
	}
	for _, e := range res.Errors {
		s := suite(e.Path)
		s.Tests++
		s.Errors++
		s.Cases = append(s.Cases, junitCase{
			Name:      "read",
			ClassName: e.Path,
			File:      e.Path,
			Error:     &junitProblem{Type: "unreadable", Message: e.Path + ": " + oneLine(errorText(e))},
		})
	}
	doc := junitSuites{Name: "wrklint", Suites: make([]*junitSuite, 0, len(suites))}
	for _, s := range suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Suites = append(doc.Suites, s)
	}
	// Findings are sorted already; suites by path, as golangci-lint does.
	sort.Slice(doc.Suites, func(i, j int) bool { return doc.Suites[i].Name < doc.Suites[j].Name })

	bw := bufio.NewWriter(w)
	_, _ = bw.WriteString(xml.Header) // a write error sticks; Flush reports it
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing JUnit report: %w", err)
	}
	_, _ = bw.WriteString("\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing JUnit report: %w", err)
	}
	return nil
}

type junitSuites struct {
	XMLName  xml.Name      `xml:"testsuites"`
	Name     string        `xml:"name,attr"`
	Tests    int           `xml:"tests,attr"`
	Failures int           `xml:"failures,attr"`
	Errors   int           `xml:"errors,attr"`
	Suites   []*junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
}

// junitProblem is a <failure> or <error>.
type junitProblem struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// junitDetails is a failure's body, as golangci-lint writes it: the
// message, then where, then the flagged line when known.
func junitDetails(f *analyzer.Finding) string {
	s := fmt.Sprintf("%s: %s\nRule: %s %s\nFile: %s\nLine: %d\nColumn: %d",
		f.Level, f.Message, f.RuleID, f.Name, f.File, f.Start.Line, f.Start.Column)
	if f.LineText != "" {
		s += "\nSource: " + f.LineText
	}
	return s
}
