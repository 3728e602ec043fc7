// Package redact masks secrets in what a wrk script writes at run time:
// values the run knows to be secret (the values of secret-named
// environment variables the script read, credential header values sent or
// received) and credential-shaped strings (the detectors of WL601), each
// replaced by [redacted].
//
// # Pieces
//
// A Set holds the known secret values of one run; the Lua runtime adds to
// it as the script reads the environment and sends or sees headers. A
// Writer wraps an output stream and masks, as text streams through it,
// whatever the Set holds and whatever looks like a credential. Names
// decides which environment variables hold secrets.
//
// # Limits
//
// Values shorter than MinLen bytes are never registered: masking every
// "admin" or "1234" in the output would make it unreadable while hiding
// nothing an attacker could not guess. A Writer holds back an unterminated
// line (as line-buffered stdio does) and the start of a secret split
// across writes, so a secret written in two pieces is still masked; what
// it holds is written by Flush.
package redact

import (
	"strings"

	"github.com/wrklint/wrklint/config"
)

// Names says which environment variable names hold secrets: a name
// matching one of Env and none of NotEnv. Patterns are globs (path.Match)
// compared without regard to case.
//
// DefaultNames are the defaults of the configuration's secrets section
// (secrets.env, secrets.not-env); wrkrun passes the project's section in
// luart.Options.SecretNames, and the Lua runtime uses the defaults when
// that is left zero.
type Names struct {
	Env    []string
	NotEnv []string
}

// DefaultNames is the default secrets.env / secrets.not-env
// (config.DefaultSecrets, the one list): names that say token, secret,
// password, key, auth, cookie, session, credential or private, unless they
// say they hold a file, path, directory, URL, host, port or name.
func DefaultNames() Names {
	d := config.DefaultSecrets()
	return Names{Env: d.Env, NotEnv: d.NotEnv}
}

// Secret reports whether the environment variable name holds a secret,
// with config.Secrets' matcher.
func (n Names) Secret(name string) bool {
	s := config.Secrets{Env: n.Env, NotEnv: n.NotEnv}
	return s.IsSecretEnv(name)
}

// exactHeaders are header names whose values are credentials; lower case.
var exactHeaders = []string{"authorization", "proxy-authorization", "cookie", "set-cookie",
	"x-api-key", "api-key", "apikey"}

// headerWords mark a header name as carrying a credential wherever they
// appear in it (X-Auth-Token, X-Session-Id, X-Client-Secret).
var headerWords = []string{"token", "secret", "session", "password", "api-key", "apikey", "api_key"}

// SensitiveHeader reports whether a request or response header's value is
// a credential: Authorization, Proxy-Authorization, Cookie, Set-Cookie,
// X-Api-Key, and names containing token, secret, session, password or
// api-key. It does not allocate: it runs for every header wrk.format sends.
func SensitiveHeader(name string) bool {
	for _, h := range exactHeaders {
		if len(name) == len(h) && strings.EqualFold(name, h) {
			return true
		}
	}
	for _, w := range headerWords {
		if containsFold(name, w) {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains the lower-case ASCII word w,
// ignoring ASCII case.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		j := 0
		for ; j < len(w); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != w[j] {
				break
			}
		}
		if j == len(w) {
			return true
		}
	}
	return false
}
