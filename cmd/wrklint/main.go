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
	// Linting allocates many short-lived objects per file and keeps little
	// (the findings): collecting less often saves CPU for memory. At 800
	// a run over 2,000 scripts peaks near 60 MiB (400: about 40 MiB, 10%
	// more CPU); the soft limit keeps a huge run from growing its heap
	// to nine times the findings it holds. It is 1 GiB, not less: one
	// hostile file (400 metatables that reach each other) needs 650 MiB,
	// and under a 256 MiB limit the collector ran without pause and the
	// file took four times as long. GOGC and GOMEMLIMIT in the
	// environment still win.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(800)
		if os.Getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(1 << 30)
		}
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
