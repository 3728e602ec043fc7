package analyzer_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/internal/testutil"
	"github.com/wrklint/wrklint/rules"
)

// TestHostileInputsBounded runs scripts built to make a linter take
// exponential time or unbounded memory, and requires each to finish fast
// with the findings a reviewer expects.
func TestHostileInputsBounded(t *testing.T) {
	chain := func(n int, first, step, last string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "local a1 = %s\n", first)
		for i := 2; i <= n; i++ {
			fmt.Fprintf(&b, "local a%d = %s\n", i, strings.ReplaceAll(step, "P", fmt.Sprintf("a%d", i-1)))
		}
		b.WriteString(strings.ReplaceAll(last, "P", fmt.Sprintf("a%d", n)) + "\n")
		return b.String()
	}
	tests := []struct {
		name, src string
		want      []string // rule IDs, in order
	}{
		// Each local doubles the last: 2^60 bytes if concatenation folded
		// without a bound.
		{"doubling concatenation", chain(60, `"xy"`, "P .. P", "os[P]()"), []string{"WL402"}},
		// Each local is used six times by the next one, a constant of two
		// bytes throughout: Folds must not revisit them 6^40 times.
		{"shared locals in format", chain(40, `"ex"`,
			`string.sub(string.format("%s%s%s%s%s%s", P, P, P, P, P, P), 1, 2)`, `os[P .. "ecute"]()`), []string{"WL103"}},
		// return ..., f(...) adds a result on every pass.
		{"vararg results grow", "local function g(...) return ..., g(...) end\ng(os.clock)\n", nil},
		{"long gsub replacement", "local s = (\"ab\"):rep(2000)\nlocal t = s:gsub(\"a\", (\"x\"):rep(4000))\nos[t]()\n", []string{"WL402"}},
		// A suffix that grows on every pass widens to unknown: reported.
		{"suffix grown in a loop", "local s = wrk.path\nwhile true do s = s .. \"ab\" end\n_G[s] = 1\n", []string{"WL402"}},
		// A prefix of 1000 bytes is kept as its first bytes, still a prefix no
		// library name has.
		{"long constant prefix", "local p = (\"x\"):rep(1000)\n_G[p .. wrk.path] = 1\n", nil},
		{"rep of a billion", "os[(\"x\"):rep(1e9)]()\nlocal s = string.rep(\"ab\", 2^31)\n", []string{"WL402"}},
		// A hundred tables whose __index is any of the others: a lookup
		// must visit each table once, not once per path (100^8).
		{"__index chains through each other", metaChain(100) + "local y = prev.zz\nlocal z = prev.x1.x2\n", nil},
		// The same with metamethods called by operators and calls, and
		// the tables handed to code the analysis cannot follow.
		{"metamethods through each other", metaChain(100) + "local y = (prev + prev)(prev)\nrequire(\"cjson\").encode(prev)\n", nil},
		// Eight times as many: the work grows with the square of the
		// tables (30 s and 1.8 GiB before the work bound), and the file
		// is reported as too complex instead.
		{"metamethods through each other, 800 tables", metaChain(800) + "local y = (prev + prev)(prev)\nrequire(\"cjson\").encode(prev)\n", []string{"WL001"}},
	}
	// The bound is on the process's CPU time, not wall time: a shared CI
	// machine made the slowest case (0.2 s of CPU, 0.8 s of wall time
	// idle) take 14 s of wall time under -race. The cases are not
	// parallel, and the package's parallel tests wait until the
	// sequential ones are done, so the process's CPU time is the
	// analysis's (garbage collection included). The inputs above make an
	// unbounded analysis run for hours, a missing bound fails either way.
	limit := 5 * time.Second
	if testutil.RaceEnabled {
		limit *= 10 // the race detector made these about 20 times as costly
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if testutil.RaceEnabled && strings.Contains(tt.name, "800") {
				// Nothing here runs concurrently, and the race detector
				// would make this case take half a minute.
				t.Skip("single-threaded, slow under -race")
			}
			start, cpu := time.Now(), testutil.ProcessCPU(t)
			fs := analyzer.AnalyzeSource("hostile.lua", []byte(tt.src), rules.All(), nil)
			d, wall := testutil.ProcessCPU(t)-cpu, time.Since(start)
			t.Logf("%v CPU, %v wall", d, wall)
			if d > limit {
				t.Errorf("took %v of CPU (%v wall), want at most %v", d, wall, limit)
			}
			var got []string
			for _, f := range fs {
				got = append(got, f.RuleID)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("findings %v, want %v: %v", got, tt.want, fs)
			}
		})
	}
}

// metaChain builds n tables that each hold the previous ones and use them
// as __index and other metamethods; prev is reassigned, so it may be any.
func metaChain(n int) string {
	var b strings.Builder
	b.WriteString("local prev = {}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "local t%d = setmetatable({x%d = prev}, {__index = prev, __add = function(a, b) return prev end, __call = function(...) return ... end}) prev = t%d\n", i%50, i, i%50)
	}
	return b.String()
}
