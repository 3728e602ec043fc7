package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/wrklint/wrklint/internal/testutil"
)

// TestScriptModulesGate is the helper-module case end to end: main.lua
// hands the response body to helper.lua, which prints it. The gate lints
// the module with the script and refuses the run (exit 3) before any
// connection, naming the module's line.
func TestScriptModulesGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"main.lua":   "local h = require(\"helper\")\nfunction response(status, headers, body)\n  h.leak(body)\nend\n",
		"helper.lua": "local M = {}\nfunction M.leak(x)\n  print(x)\nend\nreturn M\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	url, accepted := countingListener(t)
	var stdout, stderr testutil.SyncBuffer
	code := Main([]string{"-t1", "-c1", "-d1", "-s", filepath.Join(dir, "main.lua"), url}, &stdout, &stderr)
	want := regexp.MustCompile(`(?s)helper\.lua:3:3: error WL501 ResponseDataOutput: response body from line 2 of .*main\.lua reaches print.*refused by the lint gate`)
	if code != exitLint || !want.MatchString(stderr.String()) {
		t.Errorf("exit %d (want %d), stderr:\n%s", code, exitLint, stderr.String())
	}
	if accepted.Load() != 0 {
		t.Errorf("a refused script opened %d connections", accepted.Load())
	}
}

// TestScriptModulesRun runs a script whose modules pass the gate, one of
// them on a path the script adds to package.path: the run loads what the
// gate analysed.
func TestScriptModulesRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"main.lua": "package.path = package.path .. \";./lib/?.lua\"\nlocal util = require(\"util\")\nlocal h = require(\"helper\")\n" +
			"function done(summary) io.write(\"twice \", h.twice(util.base), \"\\n\") end\n",
		"helper.lua":   "return {twice = function(x) return 2 * x end}\n",
		"lib/util.lua": "return {base = 21}\n",
		".wrklint.yml": "allow:\n  modules: [util, helper]\n",
	}
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	url := startHTTP(t)
	var stdout, stderr testutil.SyncBuffer
	code := Main([]string{"-t1", "-c1", "-d300ms", "--config", filepath.Join(dir, ".wrklint.yml"), "-s", filepath.Join(dir, "main.lua"), url}, &stdout, &stderr)
	if code != 0 || !regexp.MustCompile(`twice 42\n$`).MatchString(stdout.String()) {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
}
