package lintgate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/rules"
	"github.com/wrklint/wrklint/runner/luart"
)

// TestGateModules runs scripts through Lint and then luart.New with the
// modules the gate analysed, as wrkrun does: the helper-module leak is refused by
// the gate, a module the gate did not see is refused at run time, and a
// module changed after the gate runs as it was analysed.
func TestGateModules(t *testing.T) {
	policy := config.Policy{Modules: []string{"*"}}
	tests := []struct {
		name    string
		files   map[string]string
		main    string
		refused bool   // by the gate
		runErr  string // from New, "" for none
		after   func(dir string) error
	}{
		{
			name:    "helper prints the body",
			files:   map[string]string{"helper.lua": "return {leak = function(x) print(x) end}\n"},
			main:    "local h = require(\"helper\")\nfunction response(s, hd, body) h.leak(body) end\n",
			refused: true,
		},
		{
			name:  "constant module loads",
			files: map[string]string{"helper.lua": "return {twice = function(x) return 2 * x end}\n"},
			main:  "local h = require(\"helper\")\nassert(h.twice(21) == 42)\n",
		},
		{
			name: "module name computed at run time",
			files: map[string]string{
				"helper.lua": "return {}\n",
				"hidden.lua": "return {}\n",
			},
			// WL401 suppressed: the gate passes, the runtime still refuses.
			main: "require(\"helper\")\nlocal n = string.char(104, 105, 100, 100, 101, 110)\n" +
				"local ok, err = pcall(require, wrk.path:sub(1, 0) .. n) -- wrklint:ignore WL401 -- test of the runtime check\n" +
				"assert(not ok)\nerror(err)\n",
			runErr: "was not analysed by the lint gate",
		},
		{
			name:  "module changed after the gate",
			files: map[string]string{"helper.lua": "return {v = 1}\n"},
			main:  "local h = require(\"helper\")\nassert(h.v == 1, \"the module changed\")\n",
			after: func(dir string) error {
				return os.WriteFile(filepath.Join(dir, "helper.lua"), []byte("return {v = 2}\n"), 0o600)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, src := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			script := filepath.Join(dir, "main.lua")
			if err := os.WriteFile(script, []byte(tt.main), 0o600); err != nil {
				t.Fatal(err)
			}
			res := Lint(script, []byte(tt.main), Config{Rules: rules.All(), Extra: policy})
			if res.Refused() != tt.refused {
				t.Fatalf("refused %v, want %v: %v", res.Refused(), tt.refused, res.Blocking)
			}
			if tt.refused {
				if res.Blocking[0].File != filepath.Join(dir, "helper.lua") {
					t.Errorf("finding in %s, want helper.lua", res.Blocking[0].File)
				}
				return
			}
			if tt.after != nil {
				if err := tt.after(dir); err != nil {
					t.Fatal(err)
				}
			}
			mods := map[string]luart.Module{}
			for _, m := range res.Modules {
				mods[m.Name] = luart.Module{Path: m.Path, Src: m.Src}
			}
			s, err := luart.New(script, []byte(tt.main), luart.Options{URL: "http://127.0.0.1/", Threads: 1, Policy: policy, Modules: mods})
			if s != nil {
				defer s.Close()
			}
			switch {
			case tt.runErr == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tt.runErr != "" && (err == nil || !strings.Contains(err.Error(), tt.runErr)):
				t.Fatalf("New: %v, want an error containing %q", err, tt.runErr)
			}
		})
	}
}
