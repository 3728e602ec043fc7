package lintgate

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/rules"
)

func TestLintGate(t *testing.T) {
	t.Parallel()
	const envScript = "local token = os.getenv(\"BENCH_TOKEN\")\nwrk.headers[\"Authorization\"] = \"Bearer \" .. token\n"
	tests := []struct {
		name     string
		src      string
		cfg      Config
		refused  bool
		blocking []string // rule IDs
		printed  string   // substring of the text report
	}{
		{name: "benign", src: "wrk.method = \"POST\"\n", printed: "no findings in 1 file"},
		{name: "command execution", src: "os.execute(\"id\")\n", refused: true, blocking: []string{"WL103"},
			printed: "cmd.lua:1:1: error WL103 CommandExecution:"},
		{name: "warning below fail-on", src: envScript, printed: "warning WL201"},
		{name: "fail-on warning from the flag", src: envScript, cfg: Config{FailOn: config.LevelWarning},
			refused: true, blocking: []string{"WL201"}},
		{name: "fail-on from the project", src: envScript,
			cfg:     Config{Project: &config.ProjectConfig{FailOn: config.LevelWarning}},
			refused: true, blocking: []string{"WL201"}},
		{name: "allowed by --allow-env", src: envScript,
			cfg: Config{FailOn: config.LevelWarning, Extra: config.Policy{Env: []string{"BENCH_*"}}}},
		{name: "rule disabled in the project", src: "os.execute(\"id\")\n",
			cfg: Config{Project: &config.ProjectConfig{Disabled: map[string]bool{"WL103": true}}}},
		{name: "level lowered in the project", src: "os.execute(\"id\")\n",
			cfg: Config{Project: &config.ProjectConfig{Levels: map[string]config.Level{"WL103": config.LevelWarning}}}},
		{name: "suppressed findings never block", src: "os.execute(\"id\") -- wrklint:ignore WL103 -- test fixture\n",
			cfg: Config{FailOn: config.LevelNote}, printed: "1 suppressed"},
		{name: "parse error", src: "x = = 1\n", refused: true, blocking: []string{"WL001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.Rules = rules.All()
			res := Lint("cmd.lua", []byte(tt.src), tt.cfg)
			if res.Refused() != tt.refused {
				t.Errorf("refused = %v, want %v; findings %v", res.Refused(), tt.refused, res.Result.Findings)
			}
			var ids []string
			for _, f := range res.Blocking {
				ids = append(ids, f.RuleID)
			}
			if strings.Join(ids, ",") != strings.Join(tt.blocking, ",") {
				t.Errorf("blocking %v, want %v", ids, tt.blocking)
			}
			var b bytes.Buffer
			if err := res.Print(&b, false); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tt.printed) {
				t.Errorf("printed %q, want %q in it", b.String(), tt.printed)
			}
		})
	}
}

func TestConfigPolicy(t *testing.T) {
	t.Parallel()
	cfg := Config{
		Project: &config.ProjectConfig{Policy: config.Policy{Env: []string{"A"}, Modules: []string{"json"}}},
		Extra:   config.Policy{Env: []string{"B"}, Read: []string{"data/*.txt"}, Write: []string{"out/"}},
	}
	p := cfg.Policy()
	if !p.AllowsEnv("A") || !p.AllowsEnv("B") || !p.AllowsModule("json") || !p.AllowsRead("data/x.txt") || !p.AllowsWrite("out/r.csv") {
		t.Errorf("merged policy %+v", p)
	}
	if len(cfg.Project.Policy.Env) != 1 {
		t.Error("merging modified the project's policy")
	}
}

// TestCompatScriptsLint: the wrk-style compatibility scripts pass the
// gate with the default configuration.
func TestCompatScriptsLint(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"addr.lua", "auth.lua", "counter.lua", "delay.lua", "pipeline.lua", "post.lua", "report.lua", "setup.lua", "stop.lua"} {
		src, err := os.ReadFile(filepath.Join("..", "..", "runner", "luart", "testdata", "compat", name))
		if err != nil {
			t.Fatal(err)
		}
		if res := Lint(name, src, Config{Rules: rules.All()}); res.Refused() {
			var b bytes.Buffer
			_ = res.Print(&b, false)
			t.Errorf("%s refused:\n%s", name, b.String())
		}
	}
}

func TestLoadProject(t *testing.T) {
	t.Parallel()
	var warn bytes.Buffer
	load := func(explicit, dir string) (*config.ProjectConfig, error) {
		return LoadProject(explicit, dir, rules.All(), &warn, "tool")
	}
	dir := t.TempDir()
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	p, err := load("", sub)
	if err != nil || p.Path != "" {
		t.Fatalf("no config: %+v, %v", p, err)
	}
	cfg := filepath.Join(dir, ".wrklint.yml")
	if err := os.WriteFile(cfg, []byte("fail-on: warning\nallow:\n  env: [BENCH_*]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err = load("", sub)
	if err != nil || p.FailOn != config.LevelWarning || !p.Policy.AllowsEnv("BENCH_X") {
		t.Fatalf("found config: %+v, %v", p, err)
	}
	if err := os.WriteFile(cfg, []byte("bogus: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := load(cfg, dir); err == nil || !strings.Contains(err.Error(), ".wrklint.yml:1") {
		t.Errorf("bad config: %v", err)
	}
	if warn.Len() != 0 {
		t.Errorf("warned %q for a file without unknown rules", warn.String())
	}
	if err := os.WriteFile(cfg, []byte("rules:\n  disable: [WL999, WL103]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := load("", sub); err != nil {
		t.Fatal(err)
	}
	if want := "tool: warning: " + cfg + " names rules this version does not have: WL999\n"; warn.String() != want {
		t.Errorf("warning %q, want %q", warn.String(), want)
	}
}

// TestNestedReadGlob: allow.read: ["data/**/*.txt"] keeps WL102 quiet for
// a nested file, as the sandbox lets the script read it
// (runner/luart's TestNestedReadGlob).
func TestNestedReadGlob(t *testing.T) {
	t.Parallel()
	project, err := config.Parse(".wrklint.yml", []byte("allow:\n  read: [\"data/**/*.txt\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path    string
		project *config.ProjectConfig
		want    string // blocking or active rule IDs
	}{
		{"data/a/b/c.txt", project, ""},
		{"data/c.txt", project, ""},
		{"data/a/b/c.csv", project, "WL102"},
		{"data/a/b/c.txt", nil, "WL102"},
	}
	for _, tt := range tests {
		src := "local f = io.open(\"" + tt.path + "\")\n"
		res := Lint("read.lua", []byte(src), Config{Rules: rules.All(), Project: tt.project, FailOn: config.LevelNote})
		var ids []string
		for _, f := range res.Blocking {
			ids = append(ids, f.RuleID)
		}
		if got := strings.Join(ids, ","); got != tt.want {
			t.Errorf("io.open(%q) with policy %v: findings %q, want %q", tt.path, tt.project != nil, got, tt.want)
		}
	}
}
