package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// exitCode is wrklint's process exit status. The values are public API
// (README.md, docs/architecture.md): scripts and CI pipelines branch on them.
type exitCode int

const (
	// exitOK: no finding at or above --fail-on, and every path was read.
	exitOK exitCode = 0
	// exitFindings: at least one finding at or above --fail-on (WL001, a
	// file that cannot be parsed, included).
	exitFindings exitCode = 1
	// exitUsage: a usage or configuration error (unknown flag or format,
	// bad --fail-on, unknown rule for explain, a configuration file that
	// cannot be read or is invalid), or the report could not be written.
	exitUsage exitCode = 2
	// exitUnreadable: a path could not be read (missing, unreadable, a
	// directory without Lua files). It wins over exitFindings: a run that
	// did not see every file cannot vouch for anything, and the other
	// files' findings are still reported.
	exitUnreadable exitCode = 3
)

// usageError is a mistake on the command line. It is printed with a hint
// to --help and exits with exitUsage.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// exitStatus ends a command that has already reported everything (the
// findings, the unreadable paths) with a non-zero code and no further
// message. It is not a failure of wrklint itself.
type exitStatus struct{ code exitCode }

func (e *exitStatus) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// exitCodeFor prints err, if it needs printing, once, to stderr, prefixed
// "wrklint: ", and returns the exit code it stands for.
func exitCodeFor(stderr io.Writer, err error) exitCode {
	if err == nil {
		return exitOK
	}
	var st *exitStatus
	if errors.As(err, &st) {
		return st.code
	}
	// A configuration file can have several errors, one per line: each
	// line gets the prefix.
	for _, line := range strings.Split(strings.TrimRight(err.Error(), "\n"), "\n") {
		fmt.Fprintf(stderr, "wrklint: %s\n", line)
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "Run 'wrklint --help' for usage.")
	}
	return exitUsage
}
