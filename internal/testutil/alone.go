package testutil

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// aloneEnv names, in a child test process, the one test it runs.
const aloneEnv = "WRKLINT_TEST_ALONE"

// RunAlone runs the calling top-level test by itself in a child process
// (the test binary again, with -test.run selecting it) and reports whether
// the caller is the parent, whose test is then done: the child passed, or
// the test failed with its output. In the child it returns false and the
// test runs as usual.
//
// It is for tests that measure the whole process (its open descriptors,
// its heap): alone in their own process they may run while the parent
// runs the rest of the package, instead of before it. The parent's -run
// subtest pattern, -short and -parallel carry over (-v does not: the
// child's output shows when it fails); a coverage profile does not (the
// child's coverage is lost).
func RunAlone(t *testing.T) bool {
	t.Helper()
	if os.Getenv(aloneEnv) == t.Name() {
		return false
	}
	run := "^" + regexp.QuoteMeta(t.Name()) + "$"
	if f := flag.Lookup("test.run"); f != nil {
		// "TestX/sub" selects subtests: keep the part after the test's name.
		if _, sub, ok := strings.Cut(f.Value.String(), "/"); ok {
			run += "/" + sub
		}
	}
	args := []string{"-test.run=" + run, "-test.count=1"}
	for _, name := range []string{"test.parallel", "test.short"} {
		if f := flag.Lookup(name); f != nil {
			args = append(args, "-"+name+"="+f.Value.String())
		}
	}
	// Bounded: a hung child must not hang the parent past its own timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...) //nolint:gosec // G204: our own test binary
	cmd.Env = append(os.Environ(), aloneEnv+"="+t.Name())
	var out SyncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Started before t.Parallel: the child runs through the rest of the
	// parent's sequential phase too, not only after it.
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s in a process of its own: %v", t.Name(), err)
	}
	t.Parallel()
	err := cmd.Wait()
	if err != nil {
		t.Fatalf("%s in a process of its own: %v\n%s", t.Name(), err, out.String())
	}
	// A child that matched nothing prints "no tests to run" and passes;
	// a test that went missing must not pass silently.
	if s := out.String(); !strings.Contains(s, "PASS") || strings.Contains(s, "no tests to run") {
		t.Fatalf("%s in a process of its own did not run:\n%s", t.Name(), s)
	}
	return true
}
