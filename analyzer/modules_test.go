package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/rules"
)

// writeTree writes files (slash paths relative to a new directory) and
// returns the directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestAnalyzeProgram follows require across files: each case lists the
// findings expected as "file:line:RULE" (file relative to the directory).
func TestAnalyzeProgram(t *testing.T) {
	helperLeak := map[string]string{
		"main.lua":   "local h = require(\"helper\")\n\nfunction response(status, headers, body)\n  h.leak(body)\nend\n",
		"helper.lua": "local M = {}\n\nfunction M.leak(x)\n  print(x)\nend\n\nreturn M\n",
	}
	chain := func(n int) map[string]string {
		m := map[string]string{"main.lua": "require(\"m0\")\n"}
		for i := 0; i < n; i++ {
			m[fmt.Sprintf("m%d.lua", i)] = fmt.Sprintf("require(\"m%d\")\nreturn %d\n", i+1, i)
		}
		m[fmt.Sprintf("m%d.lua", n)] = "return true\n"
		return m
	}
	tests := []struct {
		name    string
		files   map[string]string
		want    []string
		modules int
	}{
		{name: "parameter printed in the module", files: helperLeak, want: []string{"helper.lua:4:WL501"}, modules: 1},
		{name: "module returns a function", files: map[string]string{
			"main.lua": "local log = require(\"log\")\nfunction response(s, h, body) log(body) end\n",
			"log.lua":  "return function(msg)\n  io.write(msg)\nend\n",
		}, want: []string{"log.lua:2:WL501"}, modules: 1},
		{name: "taint through a module's return", files: map[string]string{
			"main.lua":  "local c = require(\"creds\")\nprint(c.token())\n",
			"creds.lua": "local M = {}\nfunction M.token() return os.getenv(\"API_TOKEN\") end\nreturn M\n",
		}, want: []string{"creds.lua:2:WL201", "main.lua:2:WL502"}, modules: 1},
		{name: "clean values through a module are clean", files: map[string]string{
			"main.lua":   "local h = require(\"helper\")\nfunction response(status) h.leak(status) end\n",
			"helper.lua": "return {leak = function(x) print(x) end}\n",
		}, modules: 1},
		{name: "cycle", files: map[string]string{
			"main.lua": "local a = require(\"a\")\nfunction response(s, h, body) a.f(body) end\n",
			"a.lua":    "local b = require(\"b\")\nreturn {f = function(x) b.g(x) end}\n",
			"b.lua":    "local a = require(\"a\")\nreturn {g = function(x) print(x) end}\n",
		}, want: []string{"b.lua:2:WL501"}, modules: 2},
		{name: "missing module", files: map[string]string{
			"main.lua": "local h = require(\"nowhere\")\nlocal j = require(\"cjson\")\nos.execute(\"id\")\n",
		}, want: []string{"main.lua:1:WL004", "main.lua:3:WL103"}},
		{name: "module on a path the script adds", files: map[string]string{
			"main.lua":     "package.path = package.path .. \";./lib/?.lua\"\nlocal u = require(\"util\")\nfunction response(s, h, body) u.dump(body) end\n",
			"lib/util.lua": "return {dump = function(b) print(b) end}\n",
		}, want: []string{"lib/util.lua:1:WL501"}, modules: 1},
		{name: "dotted name and init.lua", files: map[string]string{
			"main.lua":     "local x = require(\"pkg.sub\")\nlocal y = require(\"pkg\")\n",
			"pkg/sub.lua":  "os.execute(\"id\")\n",
			"pkg/init.lua": "return 1\n",
		}, want: []string{"pkg/sub.lua:1:WL103"}, modules: 2},
		{name: "module that cannot be parsed", files: map[string]string{
			"main.lua":   "require(\"broken\")\n",
			"broken.lua": "local x = = 1\n",
		}, want: []string{"broken.lua:1:WL001"}},
		{name: "suppression in the module", files: map[string]string{
			"main.lua":   "local h = require(\"helper\")\nfunction response(s, h2, body) h.leak(body) end\n",
			"helper.lua": "return {leak = function(x)\n  print(x) -- wrklint:ignore WL501 -- test fixture\nend}\n",
		}, modules: 1},
		{name: "too many modules", files: chain(70), want: []string{"m63.lua:1:WL004"}, modules: 64},
	}
	cfg := &analyzer.Options{Rules: rules.All()}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, tc.files)
			main := filepath.Join(dir, "main.lua")
			src, err := os.ReadFile(main)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			res := analyzer.AnalyzeProgram(main, src, cfg)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			var got []string
			for _, f := range res.Findings {
				if f.Suppression != nil {
					continue
				}
				rel, err := filepath.Rel(dir, f.File)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, fmt.Sprintf("%s:%d:%s", filepath.ToSlash(rel), f.Start.Line, f.RuleID))
			}
			sort.Strings(got)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("findings %v, want %v", got, tc.want)
				for _, f := range res.Findings {
					t.Log(f)
				}
			}
			if len(res.Modules) != tc.modules {
				t.Errorf("%d modules followed, want %d", len(res.Modules), tc.modules)
			}
		})
	}
}

// TestProgramRelated checks the call chain of a finding in a module: the
// call in main.lua that passed the data.
func TestProgramRelated(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.lua":   "local h = require(\"helper\")\n\nfunction response(status, headers, body)\n  h.leak(body)\nend\n",
		"helper.lua": "local M = {}\n\nfunction M.leak(x)\n  print(x)\nend\n\nreturn M\n",
	})
	main := filepath.Join(dir, "main.lua")
	src, _ := os.ReadFile(main)
	res := analyzer.AnalyzeProgram(main, src, &analyzer.Options{Rules: rules.All()})
	if len(res.Findings) != 1 {
		t.Fatalf("findings %v, want one", res.Findings)
	}
	f := res.Findings[0]
	if f.File != filepath.Join(dir, "helper.lua") || !strings.Contains(f.Message, "line 3 of "+main) {
		t.Errorf("finding %v: want it in helper.lua, quoting main.lua's line 3", f)
	}
	if len(f.Related) != 1 || f.Related[0].File != main || f.Related[0].Start.Line != 4 || f.Related[0].Start.Column != 3 {
		t.Fatalf("related %+v, want main.lua:4:3", f.Related)
	}
}

// TestRunDirectoryOnce lints a directory holding a script and its module:
// the module's findings are reported once.
func TestRunDirectoryOnce(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.lua":   "local h = require(\"helper\")\nfunction response(s, hd, body) h.leak(body) end\n",
		"helper.lua": "local t = os.getenv(\"HOME\")\nreturn {leak = function(x) print(x) end}\n",
	})
	res := analyzer.Run(analyzer.Options{Rules: rules.All(), FollowModules: true}, []string{dir})
	count := map[string]int{}
	for _, f := range res.Findings {
		count[fmt.Sprintf("%s:%d:%s", filepath.Base(f.File), f.Start.Line, f.RuleID)]++
	}
	want := map[string]int{"helper.lua:1:WL201": 1, "helper.lua:2:WL501": 1}
	if fmt.Sprint(count) != fmt.Sprint(want) {
		t.Errorf("findings %v, want %v", count, want)
	}
}

// TestProgramRelatedTopLevel: a finding in a module's main chunk is
// related to the require that loads it, through a module that loads it.
func TestProgramRelatedTopLevel(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.lua":  "local a = require(\"a\")\n",
		"a.lua":     "-- a loads b\nreturn require(\"b\")\n",
		"b.lua":     "os.execute(\"id\")\n",
		"other.lua": "os.execute(\"not loaded\")\n",
	})
	main := filepath.Join(dir, "main.lua")
	src, _ := os.ReadFile(main)
	res := analyzer.AnalyzeProgram(main, src, &analyzer.Options{Rules: rules.All()})
	if len(res.Findings) != 1 || res.Findings[0].File != filepath.Join(dir, "b.lua") {
		t.Fatalf("findings %v, want one in b.lua", res.Findings)
	}
	var got []string
	for _, r := range res.Findings[0].Related {
		got = append(got, fmt.Sprintf("%s:%d:%d %s", filepath.Base(r.File), r.Start.Line, r.Start.Column, r.Message))
	}
	want := []string{`a.lua:2:8 module "b" loaded here`, `main.lua:1:11 module "a" loaded here`}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("related %q, want %q", got, want)
	}
}

// TestProgramRounds: module names that become constant only through
// values passed between modules are followed for a few rounds, then
// reported (WL004), not followed forever.
func TestProgramRounds(t *testing.T) {
	files := map[string]string{
		// main passes "m1" to m0, which requires what it is given and
		// passes the next name on.
		"main.lua": "require(\"m0\").load(\"m1\")\n",
	}
	for i := 0; i < 8; i++ {
		files[fmt.Sprintf("m%d.lua", i)] = fmt.Sprintf("return {load = function(n) require(n).load(\"m%d\") end}\n", i+2)
	}
	dir := writeTree(t, files)
	main := filepath.Join(dir, "main.lua")
	src, _ := os.ReadFile(main)
	res := analyzer.AnalyzeProgram(main, src, &analyzer.Options{Rules: rules.All()})
	var wl004 int
	for _, f := range res.Findings {
		if f.RuleID == "WL004" && strings.Contains(f.Message, "rounds") {
			wl004++
		}
	}
	if wl004 == 0 || len(res.Modules) >= 8 {
		t.Errorf("%d modules followed, %d WL004 about rounds: want the chain cut and reported", len(res.Modules), wl004)
		for _, f := range res.Findings {
			t.Log(f)
		}
	}
}
