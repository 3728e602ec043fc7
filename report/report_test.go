package report

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sampleResult is a fixed result covering every level, a rule without a
// CWE, a line with non-ASCII text before the flagged expression (byte
// columns differ from UTF-16 columns), a multi-line message, a suppressed
// finding and unreadable paths.
func sampleResult() *analyzer.Result {
	return &analyzer.Result{
		Files: 3,
		Findings: []analyzer.Finding{
			{
				RuleID: "WL101", Name: "FileWrite", Level: analyzer.LevelError, CWE: 73,
				File:     "scripts/report.lua",
				Start:    analyzer.Position{Offset: 120, Line: 7, Column: 13, ColumnUTF16: 13},
				End:      analyzer.Position{Offset: 141, Line: 7, Column: 34, ColumnUTF16: 34},
				Message:  `io.open opens "results.csv" for writing (mode "w")`,
				LineText: `   local f = io.open("results.csv", "w")`,
			},
			{
				RuleID: "WL201", Name: "EnvironmentRead", Level: analyzer.LevelWarning, CWE: 526,
				File: "scripts/ümlaut.lua",
				// local msg = "héllo wörld" .. os.getenv("TOKEN")
				Start:    analyzer.Position{Offset: 33, Line: 2, Column: 34, ColumnUTF16: 32},
				End:      analyzer.Position{Offset: 51, Line: 2, Column: 52, ColumnUTF16: 50},
				Message:  `os.getenv reads "TÖKEN_ü", which is not in allow.env`,
				LineText: `local msg = "héllo wörld" .. os.getenv("TÖKEN_ü")`,
			},
			{
				RuleID: "WL003", Name: "UnusedSuppression", Level: analyzer.LevelNote,
				File:    "scripts/ümlaut.lua",
				Start:   analyzer.Position{Offset: 80, Line: 4, Column: 1, ColumnUTF16: 1},
				End:     analyzer.Position{Offset: 120, Line: 4, Column: 41, ColumnUTF16: 41},
				Message: "this suppression of WL102 suppressed nothing;\nremove it",
			},
			{
				// Suppressed: in no text or JSON report, counted apart.
				RuleID: "WL201", Name: "EnvironmentRead", Level: analyzer.LevelWarning, CWE: 526,
				File:        "scripts/ümlaut.lua",
				Start:       analyzer.Position{Offset: 130, Line: 5, Column: 11, ColumnUTF16: 11},
				End:         analyzer.Position{Offset: 150, Line: 5, Column: 31, ColumnUTF16: 31},
				Message:     `os.getenv reads "BENCH_TOKEN", which is not in allow.env`,
				Suppression: &analyzer.Suppression{Kind: "inSource", Justification: "token injected by CI"},
			},
		},
		Errors: []*analyzer.FileError{
			{Path: "missing.lua", Err: errors.New("no such file or directory")},
			{Path: "empty", Err: analyzer.ErrNoLuaFiles},
		},
	}
}

func emptyResult() *analyzer.Result { return &analyzer.Result{Files: 12} }

func singleResult() *analyzer.Result {
	res := sampleResult()
	res.Findings = res.Findings[:1]
	res.Errors = nil
	res.Files = 1
	return res
}

func TestText(t *testing.T) {
	tests := []struct {
		name   string
		res    *analyzer.Result
		color  bool
		golden string
	}{
		{"plain", sampleResult(), false, "text.golden"},
		{"color", sampleResult(), true, "text_color.golden"},
		{"empty", emptyResult(), false, "text_empty.golden"},
		{"empty color", emptyResult(), true, "text_empty.golden"},
		{"single", singleResult(), false, "text_single.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Text(&buf, tt.res, TextOptions{Color: tt.color}); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.golden, buf.Bytes())
			hasEscape := bytes.Contains(buf.Bytes(), []byte("\x1b["))
			if hasEscape != (tt.color && len(tt.res.Findings) > 0) {
				t.Errorf("color %v: output has ANSI escapes = %v", tt.color, hasEscape)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	tests := []struct {
		name   string
		res    *analyzer.Result
		golden string
	}{
		{"findings and errors", sampleResult(), "json.golden"},
		// findings and errors must be [] and never null.
		{"empty", emptyResult(), "json_empty.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := JSON(&buf, tt.res, "v1.2.3"); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.golden, buf.Bytes())
		})
	}
}

func TestSummary(t *testing.T) {
	one := analyzer.Finding{Level: analyzer.LevelError}
	tests := []struct {
		name string
		res  *analyzer.Result
		want string
	}{
		{"nothing", &analyzer.Result{}, "no findings in 0 files"},
		{"one file", &analyzer.Result{Files: 1}, "no findings in 1 file"},
		{"one error", &analyzer.Result{Files: 2, Findings: []analyzer.Finding{one}}, "1 finding (1 error) in 2 files"},
		{"mixed", sampleResult(), "3 findings (1 error, 1 warning, 1 note) in 3 files; 1 suppressed; 2 paths could not be read"},
		{"only suppressed", &analyzer.Result{Files: 1, Findings: []analyzer.Finding{{Level: analyzer.LevelError, Suppression: &analyzer.Suppression{}}}}, "no findings in 1 file; 1 suppressed"},
		{"two warnings", &analyzer.Result{Files: 1, Findings: []analyzer.Finding{{Level: analyzer.LevelWarning}, {Level: analyzer.LevelWarning}}}, "2 findings (2 warnings) in 1 file"},
		{"unreadable only", &analyzer.Result{Errors: []*analyzer.FileError{{Path: "x"}}}, "no findings in 0 files; 1 path could not be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Summary(tt.res); got != tt.want {
				t.Errorf("Summary() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestJSONAsBaseline checks that a JSON report works as --baseline input:
// known findings are recognised even when their line moved, new ones are
// kept.
func TestJSONAsBaseline(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, sampleResult(), "v"); err != nil {
		t.Fatal(err)
	}
	b, err := ParseBaseline(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	moved := sampleResult().Findings[0]
	moved.Start.Line += 10
	moved.End.Line += 10
	fresh := sampleResult().Findings[0]
	fresh.LineText = `   local g = io.open("other.csv", "w")`
	tests := []struct {
		name string
		in   analyzer.Finding
		kept bool
	}{
		{"same finding", sampleResult().Findings[0], false},
		{"line moved", moved, false},
		{"different line text", fresh, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := b.Filter([]analyzer.Finding{tt.in})
			if kept := len(got) == 1; kept != tt.kept {
				t.Errorf("kept = %v, want %v", kept, tt.kept)
			}
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name  string
		write func() error
	}{
		{"text", func() error { return Text(failWriter{}, sampleResult(), TextOptions{}) }},
		{"json", func() error { return JSON(failWriter{}, sampleResult(), "v") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.write(); err == nil {
				t.Fatal("write to a failing writer returned no error")
			}
		})
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./report -update and review the diff)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
