package runner

import (
	"os/exec"
	"strings"
	"testing"
)

// TestRunnerDoesNotImportTheLinter keeps the load generator independent of
// the lint engine: runner/... (tests included) must not depend on the
// analyzer, the rules or the report formats. wrkrun's lint gate lives in
// internal/lintgate and hands the command a verdict (docs/architecture.md).
func TestRunnerDoesNotImportTheLinter(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-test", "-f", "{{.ImportPath}}", "github.com/wrklint/wrklint/runner/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := []string{"analyzer", "rules", "report", "internal/lintgate", "internal/ruledocs"}
	for _, pkg := range strings.Fields(string(out)) {
		rest, ok := strings.CutPrefix(pkg, "github.com/wrklint/wrklint/")
		if !ok {
			continue
		}
		for _, f := range forbidden {
			if rest == f || strings.HasPrefix(rest, f+"/") {
				t.Errorf("runner/... depends on %s", pkg)
			}
		}
	}
}
