package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	t.Parallel()
	full := `fail-on: warning
rules:
  disable: [WL102]
  level: {WL201: error, wl104: note}
allow:
  env: [BENCH_TOKEN, "BENCH_*"]
  read: ["data/**/*.txt"]
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
thresholds: ["p99 < 200ms", 'errors == 0']
secrets:
  env: ["*TOKEN*"]
  not-env: []
`
	cfg, err := Parse("x.yml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.FailOn != LevelWarning || !cfg.Disabled["WL102"] || cfg.Levels["WL201"] != LevelError || cfg.Levels["WL104"] != LevelNote {
		t.Errorf("rules and fail-on not loaded: %+v", cfg)
	}
	wantPolicy := Policy{Env: []string{"BENCH_TOKEN", "BENCH_*"}, Read: []string{"data/**/*.txt"}, Write: []string{"reports/"}, Modules: []string{"cjson", "json"}}
	if !reflect.DeepEqual(cfg.Policy, wantPolicy) {
		t.Errorf("policy = %+v, want %+v", cfg.Policy, wantPolicy)
	}
	if cfg.Limits != (Limits{Connections: 1000, Threads: 64, Duration: 10 * time.Minute, Rate: 100000}) {
		t.Errorf("limits = %+v", cfg.Limits)
	}
	if len(cfg.Targets.Allow) != 2 || len(cfg.Targets.Deny) != 1 || len(cfg.Exclude) != 1 {
		t.Errorf("targets/exclude = %+v %+v", cfg.Targets, cfg.Exclude)
	}
	if !reflect.DeepEqual(cfg.Thresholds, []string{"p99 < 200ms", "errors == 0"}) {
		t.Errorf("thresholds = %q", cfg.Thresholds)
	}
	if !reflect.DeepEqual(cfg.Secrets, Secrets{Env: []string{"*TOKEN*"}, NotEnv: []string{}}) {
		t.Errorf("secrets = %#v, want the file's lists replacing the defaults", cfg.Secrets)
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
		{"bad path glob", "exclude: [\"a[b\"]\n", 1, "bad pattern"},
		{"bad read glob", "allow:\n  read:\n    - ok.txt\n    - \"data/{a\"\n", 4, "allow.read: bad pattern"},
		{"bad name glob", "allow:\n  env: [\"A[\"]\n", 2, "allow.env: bad pattern"},
		{"yaml syntax", "allow: [\n", 1, "invalid YAML"},
		{"duplicate", "fail-on: error\nfail-on: note\n", 2, "duplicate"},
		{"thresholds not a list", "thresholds: p99 < 1s\n", 1, "thresholds must be a list"},
		{"threshold a number", "thresholds:\n  - \"p99 < 1s\"\n  - 5\n", 3, "thresholds entries must be strings, not int"},
		{"threshold a mapping", "thresholds:\n  - {p99: 1s}\n", 2, "non-empty strings"},
		{"secrets unknown key", "secrets:\n  vars: [A]\n", 2, `unknown key "vars" in secrets`},
		{"secrets not a mapping", "secrets: [A]\n", 1, "secrets must be a mapping"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("c.yml", []byte(tt.src))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if ce.Line != tt.line || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "c.yml:") {
				t.Errorf("error %q (line %d), want line %d mentioning %q", err, ce.Line, tt.line, tt.msg)
			}
		})
	}
	cfg, err = Parse("empty.yml", nil)
	if err != nil || cfg.FailOn != LevelNone || !reflect.DeepEqual(cfg.Secrets, DefaultSecrets()) {
		t.Errorf("empty config: %v %+v", err, cfg)
	}
}

// TestMergeKeepsEveryField fills every field of two policies and checks
// that Merge keeps both: a field added to Policy that Merge does not
// handle fails here (or panics in Merge) instead of being dropped.
func TestMergeKeepsEveryField(t *testing.T) {
	t.Parallel()
	fill := func(tag string) Policy {
		var p Policy
		v := reflect.ValueOf(&p).Elem()
		for i := range v.NumField() {
			f := v.Field(i)
			if f.Kind() != reflect.Slice || f.Type().Elem().Kind() != reflect.String {
				t.Fatalf("Policy.%s is a %s: teach Merge and this test how to merge it", v.Type().Field(i).Name, f.Type())
			}
			f.Set(reflect.ValueOf([]string{tag + v.Type().Field(i).Name}))
		}
		return p
	}
	a, b := fill("a-"), fill("b-")
	m := a.Merge(b)
	mv := reflect.ValueOf(m)
	for i := range mv.NumField() {
		name := mv.Type().Field(i).Name
		got := mv.Field(i).Interface().([]string)
		if want := []string{"a-" + name, "b-" + name}; !reflect.DeepEqual(got, want) {
			t.Errorf("Merge: %s = %q, want %q", name, got, want)
		}
	}
	// Neither argument is modified, and the result does not alias them.
	m.Env[0] = "changed"
	if a.Env[0] != "a-Env" || b.Env[0] != "b-Env" {
		t.Errorf("Merge aliased its arguments: %q %q", a.Env, b.Env)
	}
	if got := (Policy{}).Merge(Policy{}); !reflect.DeepEqual(got, Policy{}) {
		t.Errorf("empty merge = %#v", got)
	}
}

func TestPolicyAllows(t *testing.T) {
	t.Parallel()
	p := Policy{Env: []string{"BENCH_*"}, Read: []string{"data/**/*.txt"}, Write: []string{"reports/"}, Modules: []string{"lib.*", "json"}}
	tests := []struct {
		what string
		got  bool
		want bool
	}{
		{"env glob", p.AllowsEnv("BENCH_X"), true},
		{"env other", p.AllowsEnv("HOME"), false},
		{"env * stays in the name", p.AllowsEnv("BENCH_/x"), false},
		{"read nested", p.AllowsRead("data/a/b/c.txt"), true},
		{"read other ext", p.AllowsRead("data/a/b/c.csv"), false},
		{"write below dir", p.AllowsWrite("reports/a/b.csv"), true},
		{"write climbs out", p.AllowsWrite("reports/../x"), false},
		{"module glob", p.AllowsModule("lib.util"), true},
		{"module exact", p.AllowsModule("json"), true},
		{"module other", p.AllowsModule("socket"), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %v, want %v", tt.what, tt.got, tt.want)
		}
	}
}

func TestSecrets(t *testing.T) {
	t.Parallel()
	s := DefaultSecrets()
	for name, want := range map[string]bool{
		"GITHUB_TOKEN": true, "api_key": true, "DB_PASSWORD": true, "SESSION_ID": true,
		"AWS_SECRET_ACCESS_KEY": true, "PRIVATE_PEM": true,
		"TOKEN_FILE": false, "KEY_PATH": false, "AUTH_URL": false, "SECRET_DIR": false,
		"HOME": false, "BENCH_RATE": false, "": false,
	} {
		if got := s.IsSecretEnv(name); got != want {
			t.Errorf("IsSecretEnv(%q) = %v, want %v", name, got, want)
		}
	}
	none := Secrets{Env: []string{}}
	if none.IsSecretEnv("GITHUB_TOKEN") {
		t.Error("an empty secrets.env still matched")
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	def := DefaultLimits()
	project := def.Override(Limits{Connections: 50, Duration: time.Minute})
	tests := []struct {
		name    string
		limits  Limits
		planned Limits
		want    []string
	}{
		{"within defaults", def, Limits{Connections: 1000, Threads: 64, Duration: 10 * time.Minute}, nil},
		{"connections", def, Limits{Connections: 1001, Threads: 2, Duration: time.Second}, []string{"1001 connections > limits.connections 1000"}},
		{"threads and duration", def, Limits{Connections: 100, Threads: 65, Duration: time.Hour}, []string{"65 threads", "duration 1h0m0s > limits.duration 10m0s"}},
		{"rate", def, Limits{Connections: 10, Threads: 1, Duration: time.Second, Rate: 200000}, []string{"rate 200000/s > limits.rate 100000/s"}},
		{"project lowers connections", project, Limits{Connections: 51, Threads: 2, Duration: time.Second}, []string{"51 connections > limits.connections 50"}},
		{"project keeps other defaults", project, Limits{Connections: 10, Threads: 64, Duration: 2 * time.Minute}, []string{"duration 2m0s > limits.duration 1m0s"}},
		{"zero is unlimited", Limits{}, Limits{Connections: 1 << 20, Threads: 1000, Duration: 100 * time.Hour}, nil},
	}
	for _, tt := range tests {
		got := tt.limits.Exceeded(tt.planned)
		if len(got) != len(tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if !strings.Contains(got[i], tt.want[i]) {
				t.Errorf("%s: %q, want %q", tt.name, got[i], tt.want[i])
			}
		}
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestResolve is the one search both tools use: --config, else the
// nearest .wrklint.yml upwards, else the defaults; a candidate that cannot
// be examined is an error, never skipped.
func TestResolve(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	sub := filepath.Join(root, "a", "b")
	write(t, filepath.Join(root, FileName), "fail-on: note\n")
	write(t, filepath.Join(root, "a", FileName), "fail-on: warning\n")
	write(t, filepath.Join(root, "other.yml"), "fail-on: error\n")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	dirAsFile := filepath.Join(root, "d")
	if err := os.MkdirAll(filepath.Join(dirAsFile, FileName), 0o755); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir() // no file here; its parents (the system's temp dir) may have one only by accident

	tests := []struct {
		name, explicit, dir string
		wantPath            string
		wantFailOn          Level
		wantErr             string
	}{
		{"nearest wins", "", sub, filepath.Join(root, "a", FileName), LevelWarning, ""},
		{"in the directory itself", "", root, filepath.Join(root, FileName), LevelNote, ""},
		{"explicit wins", filepath.Join(root, "other.yml"), sub, filepath.Join(root, "other.yml"), LevelError, ""},
		{"explicit missing", filepath.Join(root, "missing.yml"), sub, "", LevelNone, "cannot read"},
		{"not a regular file", "", dirAsFile, "", LevelNone, "is not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := Resolve(tt.explicit, tt.dir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Path != tt.wantPath || cfg.FailOn != tt.wantFailOn {
				t.Errorf("loaded %q (fail-on %s), want %q (%s)", cfg.Path, cfg.FailOn, tt.wantPath, tt.wantFailOn)
			}
		})
	}
	if found, err := Find(empty); err == nil && found == "" {
		cfg, err := Resolve("", empty)
		if err != nil || cfg.Path != "" || !reflect.DeepEqual(cfg, Default()) {
			t.Errorf("no file: %v %+v, want Default()", err, cfg)
		}
	}
	if os.Geteuid() != 0 { // root can search any directory
		locked := filepath.Join(root, "locked")
		if err := os.MkdirAll(filepath.Join(locked, "in"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(locked, 0o600); err != nil { // no search (x) permission
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(locked, 0o700) }) //nolint:gosec // G302: a directory, searchable again so that TempDir can remove it
		if _, err := Find(filepath.Join(locked, "in")); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("Find below an unsearchable directory: %v, want a permission error", err)
		}
	}
}

func TestUnknownRules(t *testing.T) {
	t.Parallel()
	cfg, err := Parse("c.yml", []byte("rules:\n  disable: [WL999, WL101]\n  level: {WL998: note, WL101: note}\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.UnknownRules(func(id string) bool { return id == "WL101" })
	if !reflect.DeepEqual(got, []string{"WL998", "WL999"}) {
		t.Errorf("UnknownRules = %q", got)
	}
}

func TestExcludeFunc(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	sub := filepath.Join(root, "a", "b")
	cfgPath := filepath.Join(root, FileName)
	write(t, cfgPath, "exclude: [\"**/vendor/**\", \"a/skip.lua\", \"gen/\", \"./gen2/**/*.lua\"]\n")
	cfg, err := Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	ex := cfg.ExcludeFunc(".")
	for p, want := range map[string]bool{
		filepath.Join(sub, "vendor"):                true,
		filepath.Join(sub, "vendor", "x", "y.lua"):  true,
		filepath.Join(root, "a", "skip.lua"):        true,
		filepath.Join(root, "a", "keep.lua"):        false,
		filepath.Join(root, "gen", "g.lua"):         true,
		filepath.Join(root, "general.lua"):          false,
		filepath.Join(root, "gen2", "x", "y.lua"):   true,
		filepath.Join(root, "gen2", "x", "y.txt"):   false,
		filepath.Join(filepath.Dir(root), "x.lua"):  false, // outside the project
		filepath.Join(root, "vendorish", "a.lua"):   false,
		filepath.Join(root, "a", "vendor", "a.lua"): true,
	} {
		if got := ex(p); got != want {
			t.Errorf("exclude(%s) = %v, want %v", p, got, want)
		}
	}
	if (&ProjectConfig{}).ExcludeFunc(".") != nil {
		t.Error("no exclude patterns: want a nil matcher")
	}
}
