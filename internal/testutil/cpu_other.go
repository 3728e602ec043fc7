//go:build !unix

package testutil

import (
	"testing"
	"time"
)

// ProcessCPU falls back to the wall clock where getrusage is missing.
func ProcessCPU(testing.TB) time.Duration {
	return time.Duration(time.Now().UnixNano())
}
