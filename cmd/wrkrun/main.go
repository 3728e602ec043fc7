// Command wrkrun is a drop-in replacement for the HTTP benchmark tool wrk
// 4.x: the same flags, the same report, on an epoll engine (package runner).
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], processEnv(os.Stdout, os.Stderr).confined()))
}
