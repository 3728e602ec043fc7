package main

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
)

// TestCIFormats checks that -f github and -f junit exit as the other
// formats do and write what their consumers read.
func TestCIFormats(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		finding  bool
		wantCode exitCode
		want     string
	}{
		{"github finding", []string{"-f", "github", "{dir}"}, true, exitFindings,
			"::error file=a.lua,line=2,col=3,endLine=2,endColumn=13,title=WL901 FakeExec::fake error message\n"},
		{"github clean", []string{"-f", "github", "{dir}"}, false, exitOK, "no findings in 1 file\n"},
		{"github unreadable", []string{"-f", "github", "{dir}/missing.lua", "{dir}"}, false, exitUnreadable,
			"::error title=wrklint%3A unreadable path::missing.lua: no such file or directory\n"},
		{"junit finding", []string{"-f", "junit", "{dir}"}, true, exitFindings, `<failure type="error" message="{dir}/a.lua:2:3: fake error message">`},
		{"junit clean", []string{"-f", "junit", "{dir}"}, false, exitOK, `<testsuites name="wrklint" tests="0" failures="0" errors="0">`},
		{"junit unreadable", []string{"-f", "junit", "{dir}/missing.lua", "{dir}"}, false, exitUnreadable, `<error type="unreadable"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"a.lua": cleanLua})
			expand := func(s string) string { return strings.ReplaceAll(s, "{dir}", dir) }
			opts, stdout, stderr := testOptions(dir, nil, false)
			opts.Analyze = func(cfg analyzer.Options, paths []string) *analyzer.Result {
				res := analyzer.Run(cfg, paths)
				if tt.finding {
					f := finding("WL901", analyzer.LevelError, dir+"/a.lua", 2)
					f.Start.ColumnUTF16, f.End.ColumnUTF16 = 3, 13
					res.Findings = append(res.Findings, f)
				}
				return res
			}
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = expand(a)
			}
			if code := execute(args, opts); code != tt.wantCode {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout, stderr)
			}
			out := stdout.String()
			if !strings.Contains(out, expand(tt.want)) {
				t.Errorf("stdout lacks %q:\n%s", expand(tt.want), out)
			}
			if strings.HasPrefix(tt.name, "junit") {
				var v struct{}
				if err := xml.Unmarshal(stdout.Bytes(), &v); err != nil {
					t.Errorf("not XML: %v", err)
				}
			}
		})
	}
}
