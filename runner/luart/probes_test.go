package luart

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/testutil"
)

// TestLuaJITProbes runs internal/lualib's differential probes through the
// real runtime (luart.New: sandbox, wrk globals, the library layer, the
// syntax-tree rewrite) and compares their output with luajit's, line by
// line, tolerating only the differences listed in
// internal/lualib/testdata/accepted.json.
func TestLuaJITProbes(t *testing.T) {
	luajit, err := exec.LookPath("luajit")
	if err != nil {
		t.Skip("luajit is not installed (Debian package luajit; .ci/run installs it)")
	}
	dir := filepath.Join("..", "..", "internal", "lualib", "testdata")
	b, err := os.ReadFile(filepath.Join(dir, "accepted.json"))
	if err != nil {
		t.Fatal(err)
	}
	var accepted []struct{ Probe, LuaJIT, Ours string }
	if err := json.Unmarshal(b, &accepted); err != nil {
		t.Fatal(err)
	}
	probes, err := filepath.Glob(filepath.Join(dir, "probes", "*.lua"))
	if err != nil || len(probes) == 0 {
		t.Fatalf("no probes (%v)", err)
	}
	// Probes of the loader itself (LuaJIT-only syntax), which the
	// library's own suite cannot run.
	own, err := filepath.Glob(filepath.Join("testdata", "luajit", "*.lua"))
	if err != nil || len(own) == 0 {
		t.Fatalf("no runtime probes (%v)", err)
	}
	probes = append(probes, own...)
	for _, p := range probes {
		name := filepath.Base(p)
		t.Run(strings.TrimSuffix(name, ".lua"), func(t *testing.T) {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, luajit, name) //nolint:gosec // luajit from PATH on the repository's own probes
			cmd.Dir = filepath.Dir(p)
			var want bytes.Buffer
			cmd.Stdout = &want
			if err := cmd.Run(); err != nil {
				t.Fatalf("luajit %s: %v", name, err)
			}
			var out testutil.SyncBuffer
			// A minute: the recursion probe took more than 10 s under
			// the race detector on a loaded machine. A probe that hangs
			// still ends, with the timeout's error.
			s, err := New(name, src, Options{URL: "http://127.0.0.1:8080/", Threads: 1, Stdout: &out, HookTimeout: time.Minute})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			s.Close()
			w, g := strings.Split(want.String(), "\n"), strings.Split(out.String(), "\n")
			for i := 0; i < len(w) || i < len(g); i++ {
				var wl, gl string
				if i < len(w) {
					wl = w[i]
				}
				if i < len(g) {
					gl = g[i]
				}
				if wl == gl {
					continue
				}
				ok := false
				for _, a := range accepted {
					if a.Probe == name && a.LuaJIT == wl && a.Ours == gl {
						ok = true
						break
					}
				}
				if !ok {
					t.Errorf("line %d:\n  luajit: %q\n  wrkrun: %q", i+1, wl, gl)
				}
			}
		})
	}
}
