package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// profileEnv names a file for a CPU profile of the run (go tool pprof
// reads it). An environment variable rather than a flag: it is a tool for
// working on wrkrun, not part of wrk's command line.
const profileEnv = "WRKRUN_CPUPROFILE"

// startProfile starts the CPU profile profileEnv asks for, if any, and
// returns the function that ends it. The file is created before the
// process confines itself (Landlock would refuse it afterwards).
func startProfile() (func(), error) {
	path := os.Getenv(profileEnv)
	if path == "" {
		return func() {}, nil
	}
	f, err := createPrivate(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", profileEnv, err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", profileEnv, err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
