//go:build unix

package analyzer_test

import (
	"syscall"
	"testing"
	"time"
)

// processCPU is the CPU time the whole process has used so far, user and
// system. It includes the garbage collector's background workers, which do
// much of an allocation-heavy analysis's work on other threads.
func processCPU(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
