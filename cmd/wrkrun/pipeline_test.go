package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/runner"
)

// parsed runs the command-line parser only and returns its options.
func parsed(t *testing.T, e env, args ...string) *options {
	t.Helper()
	var got *options
	if code := execute(args, e, func(o *options) error { got = o; return nil }); code != exitOK || got == nil {
		t.Fatalf("%q: exit %d", args, code)
	}
	return got
}

func TestPlanStep(t *testing.T) {
	t.Parallel()
	cfgFile := writeConfig(t, "limits:\n  connections: 5\n")
	tests := []struct {
		name    string
		args    []string
		wantErr string
		check   func(t *testing.T, b *benchmark)
	}{
		{name: "config and project", args: []string{"--config", cfgFile, "-t2", "-c4", "-d3s", "http://127.0.0.1:1/"},
			check: func(t *testing.T, b *benchmark) {
				if b.cfg.Threads != 2 || b.cfg.Connections != 4 || b.cfg.Duration != 3*time.Second || b.target.Host != "127.0.0.1" {
					t.Errorf("cfg %+v target %+v", b.cfg, b.target)
				}
				if b.project.Path != cfgFile || b.project.Limits.Connections != 5 || b.lint.state != "none" {
					t.Errorf("project %+v lint %+v", b.project, b.lint)
				}
			}},
		{name: "shard plan applied", args: []string{"--config", cfgFile, "--shard", "1/2", "-t2", "-c5", "http://127.0.0.1:1/"},
			check: func(t *testing.T, b *benchmark) {
				if b.shard.index != 1 || b.shard.count != 2 || b.shard.totalConnections != 5 || b.cfg.Connections != 2 {
					t.Errorf("shard %+v, %d connections", b.shard, b.cfg.Connections)
				}
			}},
		{name: "bad configuration", args: []string{"--config", writeConfig(t, "bogus: 1\n"), "http://127.0.0.1:1/"}, wantErr: "wrklint.yml:1"},
		{name: "bad URL", args: []string{"bad"}, wantErr: "invalid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			b, err := planStep(parsed(t, testEnv(&stdout, &stderr), tt.args...))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, b)
		})
	}
}

func TestGateStep(t *testing.T) {
	t.Parallel()
	good := writeScript(t, "good.lua", "wrk.method = \"POST\"\n")
	bad := writeScript(t, "bad.lua", "os.execute(\"id\")\n")
	tests := []struct {
		name      string
		script    string
		dryRun    bool
		wantState string
		wantCode  int // of the error; 0: none
	}{
		{"no script", "", false, "none", 0},
		{"passed", good, false, "passed", 0},
		{"refused", bad, false, "refused", exitLint},
		{"refused, kept for the dry run's plan", bad, true, "refused", 0},
		{"missing file", filepath.Join(t.TempDir(), "none.lua"), false, "", exitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			o := defaultOptions(testEnv(&stdout, &stderr))
			o.script, o.guard.dryRun, o.scriptOpts.requireLint = tt.script, tt.dryRun, true
			b := &benchmark{o: o, project: config.Default(), lint: lintVerdict{state: "none"}}
			err := b.gateStep()
			var ce *codeError
			switch {
			case tt.wantCode == 0 && err != nil:
				t.Fatalf("err %v", err)
			case tt.wantCode != 0 && (!errors.As(err, &ce) || ce.code != tt.wantCode):
				t.Fatalf("err %v, want exit %d", err, tt.wantCode)
			}
			if b.lint.state != tt.wantState {
				t.Errorf("lint %+v, want %q", b.lint, tt.wantState)
			}
			if tt.wantState == "refused" && !strings.Contains(stderr.String(), "WL103") {
				t.Errorf("findings not printed: %q", stderr.String())
			}
		})
	}
}

func TestGuardAndAdmitSteps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		url          string
		connections  int
		yes          bool
		wantAddrs    int
		wantExceeded int
		wantCode     int // of admitStep's error
	}{
		{"loopback within limits", "http://localhost:8080/", 10, false, 1, 0, 0},
		{"public refused", "http://www.example.com/", 10, false, 0, 0, exitPolicy},
		{"half public refused", "http://half.example.com/", 10, false, 0, 0, exitPolicy},
		{"above the limits without a terminal", "http://localhost:8080/", 5000, false, 1, 1, exitPolicy},
		{"above the limits with --yes", "http://localhost:8080/", 5000, true, 1, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			o := defaultOptions(testEnv(&stdout, &stderr))
			o.guard.yes = tt.yes
			target, err := runner.ParseURL(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			b := &benchmark{o: o, project: config.Default(), target: target,
				cfg:   runner.Config{Threads: 1, Connections: tt.connections, Duration: time.Second},
				shard: shardPlan{count: 1, totalConnections: tt.connections}}
			if err := b.guardStep(context.Background()); err != nil {
				t.Fatal(err)
			}
			if len(b.guard.addrs) != tt.wantAddrs || len(b.guard.exceeded) != tt.wantExceeded {
				t.Errorf("addrs %v exceeded %q", b.guard.addrs, b.guard.exceeded)
			}
			err = b.admitStep()
			var ce *codeError
			switch {
			case tt.wantCode == 0 && err != nil:
				t.Errorf("admit: %v", err)
			case tt.wantCode != 0 && (!errors.As(err, &ce) || ce.code != tt.wantCode):
				t.Errorf("admit: %v, want exit %d", err, tt.wantCode)
			}
		})
	}
}

// TestReportStep writes the report and the JSON of a fabricated summary:
// no benchmark runs.
func TestReportStep(t *testing.T) {
	t.Parallel()
	sum := &runner.Summary{URL: "http://h/", Duration: time.Second, Threads: 1, Connections: 2,
		Requests: 42, Bytes: 4200, Runtime: time.Second, StatusCodes: map[int]uint64{200: 42}}
	for _, jsonPath := range []string{"", "-", "file"} {
		t.Run("json="+jsonPath, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			o := defaultOptions(testEnv(&stdout, &stderr))
			o.jsonPath = jsonPath
			if jsonPath == "file" {
				o.jsonPath = filepath.Join(t.TempDir(), "r.json")
			}
			sink, err := openJSON(o.jsonPath, o.stdout)
			if err != nil {
				t.Fatal(err)
			}
			defer sink.close()
			out := o.stdout
			if sink.onStdout() {
				out = o.stderr
			}
			b := &benchmark{o: o, cfg: runner.Config{URL: "http://h/", Duration: time.Second, Threads: 1, Connections: 2},
				shard: shardPlan{count: 1, totalConnections: 2}, lint: lintVerdict{state: "none", text: "no script"},
				sum: sum, out: out, json: sink}
			if err := b.reportStep(); err != nil {
				t.Fatal(err)
			}
			if o.stdout != &stdout {
				t.Error("the report step moved stdout")
			}
			report, jsonText := stdout.String(), ""
			switch jsonPath {
			case "-":
				report, jsonText = stderr.String(), stdout.String()
			case "file":
				raw, err := os.ReadFile(o.jsonPath)
				if err != nil {
					t.Fatal(err)
				}
				jsonText = string(raw)
			}
			if !strings.Contains(report, "42 requests in 1.00s") {
				t.Errorf("report %q", report)
			}
			if jsonPath == "" {
				return
			}
			var res struct {
				Requests uint64 `json:"requests"`
				Lint     struct {
					Verdict string `json:"verdict"`
				} `json:"lint"`
			}
			if err := json.Unmarshal([]byte(jsonText), &res); err != nil || res.Requests != 42 || res.Lint.Verdict != "none" {
				t.Errorf("JSON %v %+v:\n%s", err, res, jsonText)
			}
		})
	}
}

func TestSubcommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"merge without results", []string{"merge"}, exitError, "", "wrkrun merge: requires at least 1 arg(s), only received 0\nUsage:\n  wrkrun merge [-s script.lua]"},
		{"merge unknown flag", []string{"merge", "--bogus", "x.json"}, exitError, "", "wrkrun merge: unknown flag: --bogus\nUsage:"},
		{"merge missing file", []string{"merge", "/nonexistent/x.json"}, exitError, "", "wrkrun merge: "},
		{"merge help", []string{"merge", "--help"}, exitOK, "Merge the --json results of the shards", ""},
		{"demo with an argument", []string{"demo", "x"}, exitError, "", "wrkrun demo: takes no arguments"},
		{"demo help", []string{"demo", "-h"}, exitOK, "Serve HTTP on 127.0.0.1", ""},
		// wrk's command line is untouched: an unknown word is a URL.
		{"not a subcommand", []string{"mergex"}, exitError, usageText(), "invalid URL: mergex"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(tt.args, testEnv(&stdout, &stderr))
			if code != tt.wantCode || !strings.Contains(stdout.String(), tt.wantStdout) || !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, stdout.String(), stderr.String(), tt.wantCode, tt.wantStdout, tt.wantStderr)
			}
		})
	}
}
