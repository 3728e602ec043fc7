package rules

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/analyzer"
)

// FuzzCorrectness checks that no input makes the WL8xx rules panic (the
// engine would turn that into an "internal analyzer error" WL001), hang,
// or report a finding or related location outside the file. The seed
// corpus is every annotated script plus shapes the rules special-case.
func FuzzCorrectness(f *testing.F) {
	root := filepath.Join("..", "testdata", "scripts")
	var files []string
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".lua") {
			files = append(files, p)
		}
		return nil
	})
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{
		"function request() end", "local function request() return request() end", "request = nil function done() print(x) end",
		"x = {} function response() x[1] = 1 end function done() print(x[1]) end",
		"function done() done() end", "local done; done = function() end", "function Init() end Init = nil",
		"wrk[1] = 2 wrk.x, wrk.y = wrk.y, wrk.x", "local w = wrk; w:nope()", "function wrk:foo() end",
		"function request() while true do end end", "function request() repeat until false end",
		"function request() goto e ::e:: end", "function request() if x then error() else return end end",
		"setup = function() init = function() end end function done() print(init) end",
	} {
		f.Add([]byte(s))
	}
	rules := []*analyzer.Rule{MisspelledHook, LocalHook, ThreadStateInDone, RequestWithoutResult, UnknownWrkField}
	f.Fuzz(func(t *testing.T, src []byte) {
		done := make(chan []analyzer.Finding, 1)
		go func() { done <- analyzer.AnalyzeSource("fuzz.lua", src, rules, &analyzer.Policy{}) }()
		var found []analyzer.Finding
		select {
		case found = <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("analysis of %d bytes did not finish in 20s", len(src))
		}
		valid := func(p analyzer.Position) bool {
			return p.Line >= 1 && p.Column >= 1 && p.Offset >= 0 && p.Offset <= len(src)
		}
		for _, fd := range found {
			if strings.Contains(fd.Message, "internal analyzer error") || strings.Contains(fd.Message, "failed:") {
				t.Fatalf("engine error on %q: %s", src, fd.Message)
			}
			if fd.RuleID == "WL001" {
				continue
			}
			if !valid(fd.Start) || !valid(fd.End) || fd.End.Offset < fd.Start.Offset {
				t.Fatalf("%s: invalid range %+v-%+v in %q", fd.RuleID, fd.Start, fd.End, src)
			}
			for _, r := range fd.Related {
				if !valid(r.Start) || !valid(r.End) || r.End.Offset < r.Start.Offset || r.Message == "" {
					t.Fatalf("%s: invalid related location %+v in %q", fd.RuleID, r, src)
				}
			}
		}
	})
}
