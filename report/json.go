package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/wrklint/wrklint/analyzer"
)

// jsonReport is wrklint's JSON report (docs/architecture.md, "Contracts").
// Field order and names are a contract: tools and --baseline read them.
type jsonReport struct {
	Version  string        `json:"version"`
	Findings []jsonFinding `json:"findings"`
	Errors   []jsonError   `json:"errors"`
}

type jsonFinding struct {
	Rule      string `json:"rule"`
	Name      string `json:"name"`
	Level     string `json:"level"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
	Message   string `json:"message"`
	// CWE is "CWE-73", or null for a rule without one.
	CWE *string `json:"cwe"`
	// Fingerprint is SARIF's primaryLocationLineHash, so that a JSON
	// report can serve as --baseline, matching findings whose lines moved.
	Fingerprint string `json:"fingerprint"`
	// Related lists the other places the finding concerns (the writes a
	// WL803 read depends on); absent when there are none.
	Related []jsonLocation `json:"related,omitempty"`
}

type jsonLocation struct {
	// File is set when the place is in another file than the finding
	// (the call in the script that reaches a module).
	File      string `json:"file,omitempty"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
	Message   string `json:"message"`
}

type jsonError struct {
	File    string `json:"file"`
	Message string `json:"message"`
}

// JSON writes res as one indented JSON object:
//
//	{"version": ..., "findings": [{"rule", "name", "level", "file", "line",
//	  "column", "end_line", "end_column", "message", "cwe", "fingerprint"}],
//	 "errors": [{"file", "message"}]}
//
// "fingerprint" (the SARIF primaryLocationLineHash, which does not depend
// on the line number) is there so that a JSON report can be used as
// --baseline.
//
// Findings suppressed by a directive are left out. "findings" and "errors"
// are always arrays, empty rather than null. Lines
// and columns are 1-based, columns in bytes, end_column exclusive. "cwe" is a
// string such as "CWE-73", or null when the rule has no CWE.
func JSON(w io.Writer, res *analyzer.Result, version string) error {
	out := jsonReport{
		Version:  version,
		Findings: make([]jsonFinding, 0, len(res.Findings)),
		Errors:   make([]jsonError, 0, len(res.Errors)),
	}
	prints := Fingerprints(res.Findings)
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Suppression != nil {
			// The schema has no place for suppressions, and a suppressed
			// finding is not one the reader has to act on.
			continue
		}
		jf := jsonFinding{
			Rule:        f.RuleID,
			Name:        f.Name,
			Level:       f.Level.String(),
			File:        f.File,
			Line:        f.Start.Line,
			Column:      f.Start.Column,
			EndLine:     f.End.Line,
			EndColumn:   f.End.Column,
			Message:     f.Message,
			Fingerprint: prints[i],
		}
		if f.CWE > 0 {
			cwe := CWE(f.CWE)
			jf.CWE = &cwe
		}
		for _, rel := range f.Related {
			jf.Related = append(jf.Related, jsonLocation{File: rel.File, Line: rel.Start.Line, Column: rel.Start.Column,
				EndLine: rel.End.Line, EndColumn: rel.End.Column, Message: rel.Message})
		}
		out.Findings = append(out.Findings, jf)
	}
	for _, e := range res.Errors {
		out.Errors = append(out.Errors, jsonError{File: e.Path, Message: errorText(e)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Messages quote Lua source; "<" and "&" stay readable.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing JSON report: %w", err)
	}
	return nil
}

// CWE formats a CWE number as "CWE-73"; it returns "" for 0 (no CWE).
func CWE(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf("CWE-%d", n)
}
