//go:build unix

package testutil

import (
	"syscall"
	"testing"
	"time"
)

// ProcessCPU is the CPU time, user and system, the whole process has used
// so far. Bounds on work are better put on it than on wall time, which a
// shared machine stretches at will; it includes the garbage collector's
// background workers, which do much of an allocating function's work on
// other threads. Only meaningful while nothing else runs in the process:
// a test that is not parallel (the package's parallel tests wait until the
// sequential ones are done).
func ProcessCPU(t testing.TB) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
