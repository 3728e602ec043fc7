package analyzer

import (
	"path"
	"strings"
)

// AllowsEnv reports whether the environment variable name is allowed.
func (p *Policy) AllowsEnv(name string) bool { return matchAny(p.Env, name) }

// AllowsRead reports whether the file may be read.
func (p *Policy) AllowsRead(file string) bool { return matchPath(p.Read, file) }

// AllowsWrite reports whether the file may be written.
func (p *Policy) AllowsWrite(file string) bool { return matchPath(p.Write, file) }

// AllowsModule reports whether require of the module is allowed.
func (p *Policy) AllowsModule(name string) bool { return matchAny(p.Modules, name) }

func matchAny(patterns []string, s string) bool {
	for _, pat := range patterns {
		if pat == s {
			return true
		}
		if ok, err := path.Match(pat, s); err == nil && ok {
			return true
		}
	}
	return false
}

// matchPath matches a file against globs; a pattern ending in "/" allows
// every file below that directory. Paths are compared cleaned, and a path
// that climbs out with ".." is never allowed by a directory pattern.
func matchPath(patterns []string, file string) bool {
	clean := path.Clean(strings.ReplaceAll(file, "\\", "/"))
	for _, pat := range patterns {
		if strings.HasSuffix(pat, "/") {
			dir := path.Clean(pat)
			if !strings.Contains(clean, "..") && (strings.HasPrefix(clean, dir+"/") || dir == ".") {
				return true
			}
			continue
		}
		if matchAny([]string{path.Clean(pat)}, clean) {
			return true
		}
	}
	return false
}
