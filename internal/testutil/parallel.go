package testutil

import (
	"flag"
	"strconv"
)

// RealTimeParallelism is how many t.Parallel tests the packages that run
// real-time benchmarks against local servers let run at once. Those tests
// mostly wait (for a -d to pass, a server to stall, a timeout to fire), so
// go test's default of GOMAXPROCS (2 on the project's reference machine)
// would serialise sleeps, not CPU work.
const RealTimeParallelism = 8

// RaiseParallel sets -test.parallel to n unless the command line set it
// (go test -parallel N wins). Call it from TestMain before m.Run.
func RaiseParallel(n int) {
	if !flag.Parsed() {
		flag.Parse()
	}
	set := false
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "test.parallel" {
			set = true
		}
	})
	if !set {
		// The flag exists in every test binary; an error would only mean
		// it does not, and then there is nothing to raise.
		_ = flag.Set("test.parallel", strconv.Itoa(n))
	}
}
