package main

import (
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/rules"
)

// TestStdin runs "wrklint -" with the real rules: the script comes from
// standard input, --stdin-filename names it in the report and chooses the
// configuration (found from its directory, not the working directory)
// and whether the project excludes it.
func TestStdin(t *testing.T) {
	const exec = "local out = os.execute(\"id\")\n"
	const env = "local token = os.getenv(\"BENCH_TOKEN\")\n"
	tests := []struct {
		name     string
		files    map[string]string
		args     []string
		stdin    string
		wantCode exitCode
		wantOut  []string
		notOut   []string
		wantErr  string
	}{
		{
			name: "finding named <stdin>", args: []string{"-"}, stdin: exec,
			wantCode: exitFindings,
			wantOut:  []string{"<stdin>:1:13: error WL103 CommandExecution: ", "1 finding (1 error) in 1 file\n"},
		},
		{
			name: "clean script", args: []string{"-"}, stdin: cleanLua,
			wantCode: exitOK, wantOut: []string{"no findings in 1 file\n"},
		},
		{
			name: "empty input is an empty script", args: []string{"-"}, stdin: "",
			wantCode: exitOK, wantOut: []string{"no findings in 1 file\n"},
		},
		{
			name: "syntax error", args: []string{"-"}, stdin: "local x = = 1\n",
			wantCode: exitFindings, wantOut: []string{"<stdin>:1:", "WL001 ParseError"},
		},
		{
			name: "stdin-filename names the file", args: []string{"--stdin-filename", "scripts/load.lua", "-"}, stdin: exec,
			wantCode: exitFindings, wantOut: []string{"scripts/load.lua:1:13: error WL103"}, notOut: []string{"<stdin>"},
		},
		{
			name: "stdin-filename alone reads standard input", args: []string{"--stdin-filename", "load.lua"}, stdin: exec,
			wantCode: exitFindings, wantOut: []string{"load.lua:1:13: error WL103"},
		},
		{
			name: "json names the file", args: []string{"-f", "json", "--stdin-filename", "load.lua", "-"}, stdin: exec,
			wantCode: exitFindings, wantOut: []string{`"file": "load.lua"`, `"rule": "WL103"`},
		},
		{
			name:  "configuration found from the stdin-filename's directory",
			files: map[string]string{"sub/.wrklint.yml": "rules:\n  disable: [WL103]\n"},
			args:  []string{"--stdin-filename", "sub/load.lua", "-"}, stdin: exec,
			wantCode: exitOK, wantOut: []string{"no findings in 1 file\n"},
		},
		{
			name:  "without stdin-filename the working directory's configuration",
			files: map[string]string{"sub/.wrklint.yml": "rules:\n  disable: [WL103]\n"},
			args:  []string{"-"}, stdin: exec,
			wantCode: exitFindings, wantOut: []string{"WL103"},
		},
		{
			name:  "allowances apply",
			files: map[string]string{".wrklint.yml": "allow:\n  env: [BENCH_TOKEN]\n"},
			args:  []string{"--stdin-filename", "load.lua", "-"}, stdin: env,
			wantCode: exitOK, notOut: []string{"WL201"},
		},
		{
			name: "without allowance the env read is reported", args: []string{"--stdin-filename", "load.lua", "-"}, stdin: env,
			wantCode: exitOK, wantOut: []string{"load.lua:1:15: warning WL201"},
		},
		{
			name:  "excluded file is not analysed",
			files: map[string]string{".wrklint.yml": "exclude: [\"vendor/**\"]\n"},
			args:  []string{"--stdin-filename", "vendor/x.lua", "-"}, stdin: exec,
			wantCode: exitOK, wantOut: []string{"no findings in 0 files\n"},
		},
		{
			name:  "a file not excluded is analysed",
			files: map[string]string{".wrklint.yml": "exclude: [\"vendor/**\"]\n"},
			args:  []string{"--stdin-filename", "lib/x.lua", "-"}, stdin: exec,
			wantCode: exitFindings, wantOut: []string{"lib/x.lua:1:13: error WL103"},
		},
		{
			name: "dash with other paths", args: []string{"-", "a.lua"}, stdin: exec,
			wantCode: exitUsage, wantErr: "cannot be combined",
		},
		{
			name: "stdin-filename with a path", args: []string{"--stdin-filename", "x.lua", "a.lua"}, stdin: exec,
			wantCode: exitUsage, wantErr: "--stdin-filename needs the path -",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tt.files)
			opts, stdout, stderr := testOptions(dir, nil, false)
			opts.Rules = rules.All()
			opts.Stdin = strings.NewReader(tt.stdin)
			opts.Analyze = func(analyzer.Options, []string) *analyzer.Result {
				t.Error("the path driver ran for standard input")
				return &analyzer.Result{}
			}
			code := execute(tt.args, opts)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout, stderr)
			}
			for _, s := range tt.wantOut {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tt.notOut {
				if strings.Contains(stdout.String(), s) {
					t.Errorf("stdout has %q:\n%s", s, stdout)
				}
			}
			if !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantErr, stderr)
			}
		})
	}
}

// TestStdinTooLarge checks that a huge input is cut at the limit and
// reported, not held whole.
func TestStdinTooLarge(t *testing.T) {
	opts, stdout, stderr := testOptions(t.TempDir(), nil, false)
	opts.Rules = rules.All()
	opts.Stdin = &endless{}
	if code := execute([]string{"-"}, opts); code != exitFindings {
		t.Errorf("exit code %d, want %d; stderr: %s", code, exitFindings, stderr)
	}
	if want := "<stdin>:1:1: error WL001 ParseError: file is 16.0 MiB, above"; !strings.Contains(stdout.String(), want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
}

// endless is an input that never ends: spaces.
type endless struct{}

func (*endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}
