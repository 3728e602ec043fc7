// Package term answers the one question both commands ask their streams:
// is this a terminal? (colors, wrkrun's progress line and confirmation).
package term

import "github.com/mattn/go-isatty"

// IsTerminal reports whether v is a terminal: a value with a file
// descriptor (an *os.File) that is a TTY, or a Cygwin/MSYS pseudo-terminal
// on Windows. Anything else (a buffer, a pipe wrapper) is not.
func IsTerminal(v any) bool {
	f, ok := v.(interface{ Fd() uintptr })
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}
