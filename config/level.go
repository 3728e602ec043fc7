package config

import (
	"fmt"
	"strings"
)

// Level is how serious a finding is. The zero value is LevelNone, which
// never fails a run. It lives here, not in the analyzer, because fail-on
// and rules.level are configuration: the analyzer aliases it.
type Level int

// Levels in increasing order of severity, so they can be compared.
const (
	LevelNone Level = iota
	LevelNote
	LevelWarning
	LevelError
)

func (l Level) String() string {
	switch l {
	case LevelNote:
		return "note"
	case LevelWarning:
		return "warning"
	case LevelError:
		return "error"
	default:
		return "none"
	}
}

// ParseLevel reads "error", "warning", "note" or "none" (any case).
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return LevelError, nil
	case "warning":
		return LevelWarning, nil
	case "note":
		return LevelNote, nil
	case "none", "off":
		return LevelNone, nil
	}
	return LevelNone, fmt.Errorf("unknown level %q (want error, warning, note or none)", s)
}
