// Command wrklint is a static security analyzer for wrk Lua scripts.
//
// Usage:
//
//	wrklint [flags] [path ...]
//	wrklint rules
//	wrklint explain WL101
//
// Exit codes are listed in exit.go and in README.md.
package main

import (
	"io"
	"os"
	"runtime/debug"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/internal/term"
	"github.com/wrklint/wrklint/internal/version"
	"github.com/wrklint/wrklint/rules"
)

// main is the only place that exits the process.
func main() {
	// Linting allocates many short-lived objects per file and keeps little:
	// collecting less often costs a few MiB and saves a fifth of the CPU.
	// GOGC in the environment still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(int(execute(os.Args[1:], defaultOptions())))
}

func defaultOptions() *options {
	return &options{
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Rules:      rules.All(),
		Version:    version.String(),
		Getenv:     os.Getenv,
		Getwd:      os.Getwd,
		IsTerminal: func(w io.Writer) bool { return term.IsTerminal(w) },
		Analyze:    analyzer.Run,
	}
}
