package config

import (
	"fmt"
	"path"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// MatchPath is the one matcher for every path pattern of the file
// (exclude, allow.read, allow.write) and of the command line (--allow-read,
// --allow-write). Patterns use "/" as separator:
//
//   - * and ? match within one path segment, [...] is a class ([!...]
//     negated), {a,b} alternatives, and ** any number of segments
//     ("data/**/*.txt" matches data/x.txt and data/a/b/c.txt);
//   - a pattern ending in "/" matches everything below that directory;
//   - a leading "./" is ignored on both sides, and the path is cleaned
//     first ("data/../etc/x" is "etc/x");
//   - a path that still climbs out with ".." only matches a pattern that
//     starts with ".." itself, and an absolute path only an absolute
//     pattern, so "**" does not open the whole file system.
//
// doublestar is used rather than a hand-written translation: it is the
// maintained implementation of this dialect, and the linter and the
// sandbox must agree on every corner of it.
func MatchPath(pattern, file string) bool {
	pat := normalizePattern(pattern)
	clean := path.Clean(strings.ReplaceAll(file, "\\", "/"))
	if climbs(clean) && !climbs(pat) {
		return false
	}
	if path.IsAbs(clean) != path.IsAbs(pat) {
		return false
	}
	ok, err := doublestar.Match(pat, clean)
	return err == nil && ok
}

// ValidPathPattern reports a pattern MatchPath cannot use.
func ValidPathPattern(pattern string) error {
	if !doublestar.ValidatePattern(normalizePattern(pattern)) {
		return fmt.Errorf("bad pattern %q", pattern)
	}
	return nil
}

// normalizePattern turns "dir/" into "dir/**" and drops a leading "./".
// The suffix is looked at first, so "./" (the working directory, the
// pattern the sandbox's own hints suggest) becomes "**", not "".
func normalizePattern(p string) string {
	if strings.HasSuffix(p, "/") {
		p += "**"
	}
	for strings.HasPrefix(p, "./") {
		p = p[2:]
	}
	return p
}

func climbs(p string) bool { return p == ".." || strings.HasPrefix(p, "../") }

// matchName matches names that are not paths (environment variables,
// module names): * and ? as in path.Match, compared exactly otherwise.
func matchName(pattern, name string) bool {
	if pattern == name {
		return true
	}
	ok, err := path.Match(pattern, name)
	return err == nil && ok
}
