package analyzer

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

var envRule = &Rule{ID: "WL201", Name: "EnvironmentRead", Level: LevelWarning, Run: func(p *Pass) error {
	for _, c := range p.Calls() {
		if c.Callee.HasLib("os.getenv") {
			p.Reportf(c.Node, "env")
		}
	}
	return nil
}}

func TestSuppressions(t *testing.T) {
	tests := []struct {
		name       string
		src        string
		suppressed int
		want       []string // "line:ID" of findings that are not suppressed
	}{
		{"same line", `local t = os.getenv("T") -- wrklint:ignore WL201 -- injected by CI`, 1, nil},
		{"next line skips blanks", "-- wrklint:ignore-next-line WL201 -- CI token\n\nlocal t = os.getenv('T')", 1, nil},
		{"file", "-- wrklint:ignore-file WL201,WL900 -- replay script\nos.getenv('A')\nos.getenv('B')\nos.execute('x')", 3, nil},
		{"wrong line", "local t = os.getenv('T')\n-- wrklint:ignore WL201 -- nothing here", 0, []string{"1:WL201", "2:WL003"}},
		{"no reason", `os.getenv("T") -- wrklint:ignore WL201`, 0, []string{"1:WL002", "1:WL201"}},
		{"empty reason", `os.getenv("T") -- wrklint:ignore WL201 --   `, 0, []string{"1:WL002", "1:WL201"}},
		{"unknown rule", `os.getenv("T") -- wrklint:ignore WL999 -- why`, 0, []string{"1:WL002", "1:WL201"}},
		{"bad id", `os.getenv("T") -- wrklint:ignore env -- why`, 0, []string{"1:WL002", "1:WL201"}},
		{"unknown kind", `os.getenv("T") -- wrklint:ignored WL201 -- why`, 0, []string{"1:WL002", "1:WL201"}},
		{"WL001 cannot be suppressed", "-- wrklint:ignore-file WL001 -- no\nx = = 1", 0, []string{"2:WL001"}},
		{"partly unused", `os.getenv("T") -- wrklint:ignore WL201, WL900 -- both`, 1, []string{"1:WL003"}},
		{"in a string is not a directive", `local s = "-- wrklint:ignore WL201 -- x" os.getenv(s)`, 0, []string{"1:WL201"}},
		{"long comment", "--[[ wrklint:ignore-file WL201 -- trace replay ]]\nos.getenv('A')", 1, nil},
		{"lower-case id", `os.getenv("T") -- wrklint:ignore wl201 -- ok`, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Analyze("s.lua", []byte(tt.src), &Options{Rules: []*Rule{ParseErrorRule, envRule, testRule}})
			var got []string
			suppressed := 0
			for _, f := range fs {
				if f.Suppression != nil {
					suppressed++
					if f.Suppression.Kind != "inSource" || f.Suppression.Justification == "" {
						t.Errorf("suppression %+v", f.Suppression)
					}
					continue
				}
				got = append(got, fmt.Sprintf("%d:%s", f.Start.Line, f.RuleID))
			}
			if suppressed != tt.suppressed {
				t.Errorf("suppressed %d, want %d (%v)", suppressed, tt.suppressed, fs)
			}
			sort.Strings(got)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("unsuppressed %v, want %v (%v)", got, tt.want, fs)
			}
		})
	}
}

func TestDisabledAndLevels(t *testing.T) {
	src := []byte("os.getenv('A') -- wrklint:ignore WL900 -- disabled rule\nos.execute('x')")
	fs := Analyze("d.lua", src, &Options{
		Rules:    []*Rule{envRule, testRule},
		Disabled: map[string]bool{"WL900": true},
		Levels:   map[string]Level{"WL201": LevelError},
	})
	if len(fs) != 1 || fs[0].RuleID != "WL201" || fs[0].Level != LevelError {
		t.Fatalf("got %v; want one WL201 at error (WL900 disabled, its suppression not unused)", fs)
	}
	fs = Analyze("d.lua", src, &Options{Rules: []*Rule{envRule, testRule}, Levels: map[string]Level{"WL201": LevelNone}})
	for _, f := range fs {
		if f.RuleID == "WL201" {
			t.Errorf("WL201 at level none still reported: %v", f)
		}
	}
}
