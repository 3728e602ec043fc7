package luart

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
)

func TestLintGate(t *testing.T) {
	const envScript = "local token = os.getenv(\"BENCH_TOKEN\")\nwrk.headers[\"Authorization\"] = \"Bearer \" .. token\n"
	tests := []struct {
		name     string
		src      string
		cfg      LintConfig
		refused  bool
		blocking []string // rule IDs
		printed  string   // substring of the text report
	}{
		{name: "benign", src: "wrk.method = \"POST\"\n", printed: "no findings in 1 file"},
		{name: "command execution", src: "os.execute(\"id\")\n", refused: true, blocking: []string{"WL103"},
			printed: "cmd.lua:1:1: error WL103 CommandExecution:"},
		{name: "warning below fail-on", src: envScript, printed: "warning WL201"},
		{name: "fail-on warning from the flag", src: envScript, cfg: LintConfig{FailOn: analyzer.LevelWarning},
			refused: true, blocking: []string{"WL201"}},
		{name: "fail-on from the project", src: envScript,
			cfg:     LintConfig{Project: &analyzer.ProjectConfig{FailOn: analyzer.LevelWarning}},
			refused: true, blocking: []string{"WL201"}},
		{name: "allowed by --allow-env", src: envScript,
			cfg: LintConfig{FailOn: analyzer.LevelWarning, Extra: analyzer.Policy{Env: []string{"BENCH_*"}}}},
		{name: "rule disabled in the project", src: "os.execute(\"id\")\n",
			cfg: LintConfig{Project: &analyzer.ProjectConfig{Disabled: map[string]bool{"WL103": true}}}},
		{name: "level lowered in the project", src: "os.execute(\"id\")\n",
			cfg: LintConfig{Project: &analyzer.ProjectConfig{Levels: map[string]analyzer.Level{"WL103": analyzer.LevelWarning}}}},
		{name: "suppressed findings never block", src: "os.execute(\"id\") -- wrklint:ignore WL103 -- test fixture\n",
			cfg: LintConfig{FailOn: analyzer.LevelNote}, printed: "1 suppressed"},
		{name: "parse error", src: "x = = 1\n", refused: true, blocking: []string{"WL001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
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

func TestLintConfigPolicy(t *testing.T) {
	cfg := LintConfig{
		Project: &analyzer.ProjectConfig{Policy: analyzer.Policy{Env: []string{"A"}, Modules: []string{"json"}}},
		Extra:   analyzer.Policy{Env: []string{"B"}, Read: []string{"data/*.txt"}, Write: []string{"out/"}},
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
	for _, name := range []string{"addr.lua", "auth.lua", "counter.lua", "delay.lua", "pipeline.lua", "post.lua", "report.lua", "setup.lua", "stop.lua"} {
		src := readCompat(t, name)
		if res := Lint(name, src, LintConfig{}); res.Refused() {
			var b bytes.Buffer
			_ = res.Print(&b, false)
			t.Errorf("%s refused:\n%s", name, b.String())
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]uint64{"1024": 1024, "512M": 512 << 20, "512MiB": 512 << 20, "2g": 2 << 30, "64KB": 64 << 10} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "x", "1.5G", "-1M"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}

func TestLoadProject(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	p, err := LoadProject("", sub)
	if err != nil || p.Path != "" {
		t.Fatalf("no config: %+v, %v", p, err)
	}
	cfg := filepath.Join(dir, ".wrklint.yml")
	if err := os.WriteFile(cfg, []byte("fail-on: warning\nallow:\n  env: [BENCH_*]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err = LoadProject("", sub)
	if err != nil || p.FailOn != analyzer.LevelWarning || !p.Policy.AllowsEnv("BENCH_X") {
		t.Fatalf("found config: %+v, %v", p, err)
	}
	if err := os.WriteFile(cfg, []byte("bogus: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadProject(cfg, dir); err == nil || !strings.Contains(err.Error(), ".wrklint.yml:1") {
		t.Errorf("bad config: %v", err)
	}
}
