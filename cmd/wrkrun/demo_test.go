package main

import (
	"strings"
	"testing"

	"github.com/wrklint/wrklint/internal/testutil"
)

// TestDemo runs `wrkrun demo` end to end: its embedded server is on
// 127.0.0.1, its public target is only ever a --dry-run.
func TestDemo(t *testing.T) {
	t.Parallel()
	var stdout, stderr testutil.SyncBuffer
	e := testEnv(&stdout, &stderr)
	e.demoDuration = "1s" // the bundled 3s only makes the test slower
	if code := run([]string{"demo"}, e); code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
	}
	out, errOut := stdout.String(), stderr.String()
	for _, want := range []string{
		"example.lua: passed", "Policy:      allowed",
		"Running 1s test @ http://127.0.0.1:", "requests in", "demo: ",
		"$ wrkrun -t1 -c10 -d1s -s malicious.lua",
		"refused 203.0.113.10 (default: public address", "Done: every gate behaved",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{"error WL103 CommandExecution", "error WL701 TargetRedirect", "refused by the lint gate",
		"allow it with --allow-target 203.0.113.10"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}
