package analyzer

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestRunPaths(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("a/bad.lua", "os.execute('x')")
	write("a/b/nested.lua", "local e = os.execute")
	write("a/notes.txt", "os.execute")
	write("a/.git/hook.lua", "os.execute('x')")
	write("a/vendor/dep.lua", "os.execute('x')")
	emptyDir := filepath.Join(dir, "empty")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	unreadable := write("a/locked.lua", "x = 1")
	if err := os.Chmod(unreadable, 0); err != nil {
		t.Fatal(err)
	}
	cfg := Options{Rules: []*Rule{testRule}, Exclude: func(p string) bool { return filepath.Base(p) == "vendor" }}
	res := Run(cfg, []string{filepath.Join(dir, "a"), bad, filepath.Join(dir, "missing.lua"), emptyDir})

	if len(res.Findings) != 2 {
		t.Fatalf("got %d findings, want 2 (bad.lua, nested.lua): %v", len(res.Findings), res.Findings)
	}
	if res.Findings[0].File > res.Findings[1].File {
		t.Errorf("findings not sorted: %v", res.Findings)
	}
	wantErrs := map[string]error{filepath.Join(dir, "missing.lua"): os.ErrNotExist, emptyDir: ErrNoLuaFiles}
	if os.Geteuid() != 0 {
		wantErrs[unreadable] = os.ErrPermission
	}
	for _, e := range res.Errors {
		want, ok := wantErrs[e.Path]
		if !ok {
			t.Errorf("unexpected error %v", e)
			continue
		}
		if !errors.Is(e, want) {
			t.Errorf("%s: error %v, want %v", e.Path, e.Err, want)
		}
		delete(wantErrs, e.Path)
	}
	for p := range wantErrs {
		t.Errorf("no error reported for %s", p)
	}
}

// TestScratchPerWorker checks that Pass.Scratch hands a worker the same
// value from one file to the next (built once), while Memo is per file.
func TestScratchPerWorker(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.lua", "b.lua", "c.lua"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x = 1\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	type scratchKey struct{}
	type memoKey struct{}
	type counter struct{ files int }
	builds, memoBuilds := 0, 0
	rule := &Rule{ID: "WL999", Name: "Scratch", Level: LevelWarning, Run: func(p *Pass) error {
		c := p.Scratch(scratchKey{}, func() any { builds++; return &counter{} }).(*counter)
		// Twice per file: the second Memo call must not build again.
		for range 2 {
			p.Memo(memoKey{}, func() any { memoBuilds++; c.files++; return c })
		}
		return nil
	}}
	res := Run(Options{Rules: []*Rule{rule}, Jobs: 1}, []string{dir})
	if res.Files != 3 {
		t.Fatalf("analysed %d files, want 3", res.Files)
	}
	if builds != 1 {
		t.Errorf("Scratch built %d times for one worker, want 1", builds)
	}
	if memoBuilds != 3 {
		t.Errorf("Memo built %d times for 3 files, want 3", memoBuilds)
	}
}
