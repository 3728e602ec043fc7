package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"

	"github.com/wrklint/wrklint/analyzer"
)

// Fingerprints returns each finding's primaryLocationLineHash: a hash of
// its rule and of the flagged line's text without whitespace, then ":" and
// the occurrence of that hash in its file (1 for the first). It does not
// depend on the line number, so a finding keeps its fingerprint when
// unrelated lines are added or removed above it; GitHub and --baseline
// match findings by it.
func Fingerprints(fs []analyzer.Finding) []string {
	out := make([]string, len(fs))
	seen := map[string]int{}
	for i := range fs {
		f := &fs[i]
		var b strings.Builder
		for _, r := range f.LineText {
			if !unicode.IsSpace(r) {
				b.WriteRune(r)
			}
		}
		sum := sha256.Sum256([]byte(f.RuleID + "\x00" + b.String()))
		h := hex.EncodeToString(sum[:8])
		key := f.File + "\x00" + h
		seen[key]++
		out[i] = fmt.Sprintf("%s:%d", h, seen[key])
	}
	return out
}
