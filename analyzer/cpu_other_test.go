//go:build !unix

package analyzer_test

import (
	"testing"
	"time"
)

// processCPU falls back to wall time where getrusage is missing.
func processCPU(*testing.T) time.Duration {
	return time.Duration(time.Now().UnixNano())
}
