package main

import (
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
)

// TestReportFileSummary checks what stderr says when the report goes to a
// file (the wrklint-sarif pre-commit hook): the findings that fail the
// run, unreadable paths, and a summary naming the file.
func TestReportFileSummary(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		findings []analyzer.Finding
		wantCode exitCode
		want     []string
		not      []string
	}{
		{
			name:     "error finding in a SARIF file",
			args:     []string{"-f", "sarif", "-o", "{dir}/r.sarif", "{dir}"},
			findings: []analyzer.Finding{finding("WL901", analyzer.LevelError, "{dir}/a.lua", 2), finding("WL902", analyzer.LevelWarning, "{dir}/a.lua", 1)},
			wantCode: exitFindings,
			want: []string{
				"{dir}/a.lua:2:3: error WL901 FakeExec: fake error message\n",
				"wrklint: 2 findings (1 error, 1 warning) in 1 file; report written to {dir}/r.sarif\n",
			},
			// Below --fail-on: counted in the summary, not listed.
			not: []string{"WL902"},
		},
		{
			name:     "warnings listed with --fail-on warning",
			args:     []string{"--fail-on", "warning", "-f", "json", "-o", "{dir}/r.json", "{dir}"},
			findings: []analyzer.Finding{finding("WL902", analyzer.LevelWarning, "{dir}/a.lua", 1)},
			wantCode: exitFindings,
			want:     []string{"{dir}/a.lua:1:3: warning WL902 FakeEnv: fake warning message\n"},
		},
		{
			name:     "clean run",
			args:     []string{"-o", "{dir}/r.txt", "{dir}"},
			wantCode: exitOK,
			want:     []string{"wrklint: no findings in 1 file; report written to {dir}/r.txt\n"},
		},
		{
			name:     "unreadable path",
			args:     []string{"-f", "sarif", "-o", "{dir}/r.sarif", "{dir}/a.lua", "{dir}/gone.lua"},
			wantCode: exitUnreadable,
			want:     []string{"wrklint: {dir}/gone.lua: no such file or directory\n", "; 1 path could not be read; report written to"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"a.lua": cleanLua})
			expand := func(s string) string { return strings.ReplaceAll(s, "{dir}", dir) }
			opts, stdout, stderr := testOptions(dir, nil, false)
			opts.Analyze = func(cfg analyzer.Options, paths []string) *analyzer.Result {
				res := analyzer.Run(cfg, paths)
				for _, f := range tt.findings {
					f.File = expand(f.File)
					res.Findings = append(res.Findings, f)
				}
				analyzer.SortFindings(res.Findings)
				return res
			}
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = expand(a)
			}
			if code := execute(args, opts); code != tt.wantCode {
				t.Errorf("exit code %d, want %d\nstderr:\n%s", code, tt.wantCode, stderr)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout is not empty:\n%s", stdout)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr.String(), expand(w)) {
					t.Errorf("stderr lacks %q:\n%s", expand(w), stderr)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(stderr.String(), w) {
					t.Errorf("stderr has %q:\n%s", w, stderr)
				}
			}
		})
	}
}
