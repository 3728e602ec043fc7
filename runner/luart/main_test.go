package luart

import (
	"os"
	"testing"

	"github.com/wrklint/wrklint/internal/testutil"
)

// TestMain lets the real-time tests (t.Parallel, each with its own local
// server or Lua states) overlap their waiting.
func TestMain(m *testing.M) {
	testutil.RaiseParallel(testutil.RealTimeParallelism)
	os.Exit(m.Run())
}
