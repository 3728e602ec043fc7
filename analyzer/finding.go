package analyzer

import (
	"fmt"

	"github.com/wrklint/wrklint/config"
)

// Level is how serious a finding is; it is defined in package config
// because fail-on and rules.level are configuration.
type Level = config.Level

// Levels in increasing order of severity, so they can be compared.
const (
	LevelNone    = config.LevelNone
	LevelNote    = config.LevelNote
	LevelWarning = config.LevelWarning
	LevelError   = config.LevelError
)

// ParseLevel reads "error", "warning", "note" or "none" (any case).
func ParseLevel(s string) (Level, error) { return config.ParseLevel(s) }

// Position is a point in a source file. Line and Column are 1-based; Column
// counts bytes (UTF-8), ColumnUTF16 counts UTF-16 code units as SARIF and
// GitHub expect. Offset is the 0-based byte offset.
type Position struct {
	Offset      int
	Line        int
	Column      int
	ColumnUTF16 int
}

// Finding is one reported problem. End is exclusive: it is the position just
// after the last byte of the flagged text.
type Finding struct {
	RuleID  string
	Name    string
	Level   Level
	CWE     int
	File    string
	Start   Position
	End     Position
	Message string
	// LineText is the flagged line without its newline, kept so that reports
	// can fingerprint a finding by content rather than by line number.
	LineText string
	// Suppression is set when a directive suppresses the finding: it is
	// reported (SARIF keeps it with its justification) but never counted.
	Suppression *Suppression
	// Subjects are the constant names the finding is about, where an
	// allowance could cover them: the files of WL101/WL102, the
	// environment variables of WL201, the modules of WL301, the hosts of
	// WL701. rules.WayOut turns them into flags and configuration.
	Subjects []string
	// Related lists other places the finding concerns: in the same file,
	// or (Location.File) in another file of the program.
	Related []Location
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s %s %s: %s", f.File, f.Start.Line, f.Start.Column, f.Level, f.RuleID, f.Name, f.Message)
}

// FileError is a path that could not be read. It is not a finding: nothing
// was analysed, and wrklint exits 3.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *FileError) Unwrap() error { return e.Err }
