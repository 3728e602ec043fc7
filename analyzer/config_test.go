package analyzer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	full := `fail-on: warning
rules:
  disable: [WL102]
  level: {WL201: error, wl104: note}
allow:
  env: [BENCH_TOKEN, "BENCH_*"]
  read: ["data/*.txt"]
  write: ["reports/"]
  modules: [cjson, json]
exclude: ["vendor/**"]
targets:
  allow: ["*.staging.example.com", "10.20.0.0/16"]
  deny: ["*.prod.example.com"]
limits:
  connections: 1000
  threads: 64
  duration: 10m
  rate: 100000
`
	cfg, err := ParseConfig("x.yml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.FailOn != LevelWarning || !cfg.Disabled["WL102"] || cfg.Levels["WL201"] != LevelError || cfg.Levels["WL104"] != LevelNote {
		t.Errorf("rules and fail-on not loaded: %+v", cfg)
	}
	if !cfg.Policy.AllowsEnv("BENCH_X") || cfg.Policy.AllowsEnv("HOME") || !cfg.Policy.AllowsRead("data/urls.txt") ||
		cfg.Policy.AllowsRead("data/sub/urls.txt") || !cfg.Policy.AllowsWrite("reports/a/b.csv") || cfg.Policy.AllowsWrite("reports/../x") ||
		!cfg.Policy.AllowsModule("json") {
		t.Errorf("policy not loaded: %+v", cfg.Policy)
	}
	if cfg.Limits != (Limits{Connections: 1000, Threads: 64, Duration: 10 * time.Minute, Rate: 100000}) {
		t.Errorf("limits = %+v", cfg.Limits)
	}
	if len(cfg.Targets.Allow) != 2 || len(cfg.Targets.Deny) != 1 || len(cfg.Exclude) != 1 {
		t.Errorf("targets/exclude = %+v %+v", cfg.Targets, cfg.Exclude)
	}

	bad := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"unknown key", "fail-on: error\ncolour: red\n", 2, `unknown key "colour"`},
		{"unknown nested key", "allow:\n  env: [A]\n  exec: [B]\n", 3, `unknown key "exec" in allow`},
		{"bad level", "fail-on: high\n", 1, `unknown level "high"`},
		{"fail-on none", "fail-on: none\n", 1, "fail-on must be"},
		{"bad rule id", "rules:\n  disable: [W101]\n", 2, "not a rule ID"},
		{"not a list", "allow:\n  env: BENCH\n", 2, "must be a list"},
		{"bad duration", "limits:\n  duration: forever\n", 2, "not a positive duration"},
		{"bad number", "limits:\n  threads: -1\n", 2, "positive integer"},
		{"bad glob", "exclude: [\"a[b\"]\n", 1, "bad pattern"},
		{"yaml syntax", "allow: [\n", 1, "invalid YAML"},
		{"duplicate", "fail-on: error\nfail-on: note\n", 2, "duplicate"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("c.yml", []byte(tt.src))
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a ConfigError", err)
			}
			if ce.Line != tt.line || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "c.yml:") {
				t.Errorf("error %q (line %d), want line %d mentioning %q", err, ce.Line, tt.line, tt.msg)
			}
		})
	}
	if cfg, err := ParseConfig("empty.yml", nil); err != nil || cfg.FailOn != LevelNone {
		t.Errorf("empty config: %v %+v", err, cfg)
	}
}

func TestFindConfigAndExclude(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(filepath.Join(sub, "vendor", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(root, ConfigFileName)
	if err := os.WriteFile(cfgPath, []byte("exclude: [\"**/vendor/**\", \"a/skip.lua\", \"gen/\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	found, err := FindConfig(sub)
	if err != nil || found != cfgPath {
		t.Fatalf("FindConfig = %q, %v; want %q", found, err, cfgPath)
	}
	cfg, err := LoadConfig(found)
	if err != nil {
		t.Fatal(err)
	}
	ex := cfg.ExcludeFunc(".")
	for p, want := range map[string]bool{
		filepath.Join(sub, "vendor"):               true,
		filepath.Join(sub, "vendor", "x", "y.lua"): true,
		filepath.Join(root, "a", "skip.lua"):       true,
		filepath.Join(root, "a", "keep.lua"):       false,
		filepath.Join(root, "gen", "g.lua"):        true,
		filepath.Join(root, "general.lua"):         false,
	} {
		if got := ex(p); got != want {
			t.Errorf("exclude(%s) = %v, want %v", p, got, want)
		}
	}
	if _, err := LoadConfig(filepath.Join(root, "missing.yml")); err == nil {
		t.Error("LoadConfig of a missing file: no error")
	}
}
