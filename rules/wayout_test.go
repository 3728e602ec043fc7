package rules_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/rules"
)

// TestWayOut runs the analyzer on each script, takes the remedy of its one
// finding, and checks both ways out really work: the allowance (as given,
// and as parsed back from the .wrklint.yml lines) clears the finding, and
// so does the directive put where the remedy says.
func TestWayOut(t *testing.T) {
	tests := []struct {
		name, src, rule string
		flags           []string
		config          string
		nextLine        bool
		noAllowance     bool
	}{
		{"write a file", `local f = io.open("reports/out.csv", "w")` + "\n", "WL101",
			[]string{"--allow-write reports/out.csv"}, "allow:\n  write: [\"reports/out.csv\"]\n", false, false},
		{"read a file with glob characters", `for l in io.lines("data/[a]*.txt") do end` + "\n", "WL102",
			[]string{`--allow-read 'data/\[a]\*.txt'`}, "allow:\n  read: [\"data/\\\\[a]\\\\*.txt\"]\n", false, false},
		{"read, the line has a comment", `local f = io.open("urls.txt") -- the url list` + "\n", "WL102",
			[]string{"--allow-read urls.txt"}, "allow:\n  read: [\"urls.txt\"]\n", true, false},
		{"environment variable", `local t = os.getenv("API_TOKEN")` + "\n", "WL201",
			[]string{"--allow-env API_TOKEN"}, "allow:\n  env: [\"API_TOKEN\"]\n", false, false},
		{"module", `local http = require("socket.http")` + "\n", "WL301",
			nil, "allow:\n  modules: [\"socket.http\"]\n", false, false},
		{"path not constant", `local f = io.open(wrk.path, "w")` + "\n", "WL101", nil, "", false, true},
		{"other target", `local a = wrk.lookup("other.example.com", "80")` + "\n", "WL701", nil, "", false, true},
		{"command", `os.execute("ls")` + "\n", "WL103", nil, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found := lintWith(tt.src, analyzer.Policy{}, tt.rule)
			if len(found) != 1 {
				t.Fatalf("want one %s finding, got %v", tt.rule, found)
			}
			r := rules.WayOut(found[0])
			if !reflect.DeepEqual(r.Flags, tt.flags) {
				t.Errorf("flags = %q, want %q", r.Flags, tt.flags)
			}
			if r.Config != tt.config {
				t.Errorf("config = %q, want %q", r.Config, tt.config)
			}
			if r.NextLine != tt.nextLine {
				t.Errorf("next line = %v, want %v", r.NextLine, tt.nextLine)
			}
			if tt.noAllowance != (r.Note != "" && r.Config == "") {
				t.Errorf("note %q with config %q: want no allowance = %v", r.Note, r.Config, tt.noAllowance)
			}
			if r.Config != "" {
				if left := lintWith(tt.src, r.Allow, tt.rule); len(left) != 0 {
					t.Errorf("the allowance %+v leaves %v", r.Allow, left)
				}
				cfg, err := config.Parse(".wrklint.yml", []byte(r.Config))
				if err != nil {
					t.Fatalf("the configuration lines do not parse: %v\n%s", err, r.Config)
				}
				if left := lintWith(tt.src, cfg.Policy, tt.rule); len(left) != 0 {
					t.Errorf("the configuration %q leaves %v", r.Config, left)
				}
			}
			lines := strings.Split(tt.src, "\n")
			i := r.Line - 1
			if r.NextLine {
				lines = append(lines[:i], append([]string{r.Directive}, lines[i:]...)...)
			} else {
				lines[i] += " " + r.Directive
			}
			fixed := strings.Join(lines, "\n")
			if left := lintWith(fixed, analyzer.Policy{}, tt.rule); len(left) != 0 {
				t.Errorf("the directive leaves %v in\n%s", left, fixed)
			}
		})
	}
}

// lintWith returns the unsuppressed findings of rule in src.
func lintWith(src string, policy analyzer.Policy, rule string) []analyzer.Finding {
	var out []analyzer.Finding
	for _, f := range analyzer.Analyze("bench.lua", []byte(src), &analyzer.Options{Rules: rules.All(), Policy: policy}) {
		if f.RuleID == rule && f.Suppression == nil {
			out = append(out, f)
		}
	}
	return out
}

func TestWriteWayOut(t *testing.T) {
	found := lintWith(`local f = io.open("out.csv", "w")`+"\n", analyzer.Policy{}, "WL101")
	var b bytes.Buffer
	if err := rules.WriteWayOut(&b, found); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"bench.lua:1 WL101:",
		"comment at the end of line 1: -- wrklint:ignore WL101 -- <why this is safe>",
		"or flag: --allow-write out.csv",
		"      allow:\n        write: [\"out.csv\"]\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in\n%s", want, b.String())
		}
	}
}
