package config

import (
	"path"
	"strings"
)

// Secrets names the environment variables that hold secrets (Env) and
// those that, although their names match, only point at one (NotEnv:
// TOKEN_FILE names a file, not a token). Patterns are globs with * and ?
// matched against the upper-cased name.
type Secrets struct {
	Env    []string
	NotEnv []string
}

// DefaultSecrets is what a file without a secrets section gets
// (docs/configuration.md lists it).
func DefaultSecrets() Secrets {
	return Secrets{
		Env: []string{"*TOKEN*", "*SECRET*", "*PASSWORD*", "*PASSWD*", "*PASS*", "*PWD*", "*KEY*", "*AUTH*",
			"*COOKIE*", "*SESSION*", "*CREDENTIAL*", "*CRED*", "*PRIVATE*", "*JWT*", "*BEARER*", "*CERT*",
			"*SIGNATURE*", "*SALT*"},
		NotEnv: []string{"*FILE*", "*PATH*", "*DIR*", "*URL*", "*HOST*", "*PORT*", "*NAME*"},
	}
}

// IsSecretEnv reports whether the environment variable name holds a
// secret: it matches Env and no NotEnv pattern. Names are compared
// upper-cased, since environment conventions differ only in case.
func (s *Secrets) IsSecretEnv(name string) bool {
	up := strings.ToUpper(name)
	return matchUpper(s.Env, up) && !matchUpper(s.NotEnv, up)
}

func matchUpper(patterns []string, name string) bool {
	for _, p := range patterns {
		if ok, err := path.Match(strings.ToUpper(p), name); err == nil && ok {
			return true
		}
	}
	return false
}
