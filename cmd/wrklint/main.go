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
	"strings"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/internal/term"
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
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Rules:      rules.All(),
		Version:    buildVersion(),
		Getenv:     os.Getenv,
		Getwd:      os.Getwd,
		IsTerminal: func(w io.Writer) bool { return term.IsTerminal(w) },
		Analyze:    analyzer.Run,
	}
}

// buildVersion is the module version wrklint was built from: the tag
// without its "v" for "go install ...@v1.2.3", "0.0.0-devel" for a build
// from a checkout. It starts with a number because SARIF consumers compare
// tool versions (the SARIF Multitool warns about SARIF2005 otherwise).
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" || info.Main.Version == "(devel)" {
		return "0.0.0-devel"
	}
	return strings.TrimPrefix(info.Main.Version, "v")
}
