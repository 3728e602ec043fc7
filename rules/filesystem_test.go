package rules

import (
	"testing"

	"github.com/wrklint/wrklint/analyzer"
)

// TestFileMessages checks that the file rules' messages read as sentences
// whether the path is a constant or not ("io.open reads the file a path
// that is not constant" did not).
func TestFileMessages(t *testing.T) {
	tests := []struct {
		src, rule, want string
	}{
		{`local f = io.open("data.txt")`, "WL102", `io.open reads the file "data.txt"`},
		{"local p = os.getenv(\"P\")\nlocal f = io.open(p)", "WL102", "io.open reads a file whose path is not constant"},
		{`for l in io.lines("urls.txt") do end`, "WL102", `io.lines reads the file "urls.txt"`},
		{"local p = os.getenv(\"P\")\nfor l in io.lines(p) do end", "WL102", "io.lines reads a file whose path is not constant"},
		{`local f = io.open("out.csv", "w")`, "WL101", `io.open opens the file "out.csv" for writing (mode "w")`},
		{"local p = os.getenv(\"P\")\nlocal f = io.open(p, \"a\")", "WL101", `io.open opens a file whose path is not constant for writing (mode "a")`},
		{`io.output("log.txt")`, "WL101", `io.output redirects io.write to the file "log.txt"`},
		{"local p = os.getenv(\"P\")\nio.output(p)", "WL101", "io.output redirects io.write to a file whose path is not constant"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			var got []string
			for _, f := range analyzer.AnalyzeSource("t.lua", []byte(tt.src+"\n"), All(), nil) {
				if f.RuleID == tt.rule {
					got = append(got, f.Message)
				}
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("%s messages %q, want [%q]", tt.rule, got, tt.want)
			}
		})
	}
}
