package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/internal/testutil"
)

// TestCPUProfile: WRKRUN_CPUPROFILE writes a CPU profile of the run (a
// gzip-compressed pprof file); a path that cannot be created ends the run
// before it starts, naming the variable.
func TestCPUProfile(t *testing.T) {
	url := startHTTP(t)
	dir := t.TempDir()
	tests := []struct {
		name, path string
		code       int
	}{
		{"written", filepath.Join(dir, "cpu.pprof"), 0},
		{"bad path", filepath.Join(dir, "no", "such", "cpu.pprof"), exitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(profileEnv, tt.path)
			var stdout, stderr testutil.SyncBuffer
			code := run([]string{"-t1", "-c2", "-d1", url}, testEnv(&stdout, &stderr))
			if strings.Contains(stderr.String(), "profiling already in use") {
				t.Skip("the test binary itself is being profiled")
			}
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, stderr.String())
			}
			if tt.code != 0 {
				if !strings.Contains(stderr.String(), profileEnv) {
					t.Errorf("stderr does not name %s: %s", profileEnv, stderr.String())
				}
				return
			}
			b, err := os.ReadFile(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) || len(b) < 100 {
				t.Errorf("profile of %d bytes does not look like a pprof file", len(b))
			}
		})
	}
}
