// Package credential recognises credentials in constant strings: known
// token formats, auth header values and password fields, while leaving
// placeholders and templates alone. wrklint uses it for WL601 and as a
// taint source.
package credential

import (
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
)

var (
	// A pattern cannot match unless the string contains one of its
	// markers (compared in lower case when fold is set): the regular
	// expression runs only then.
	tokenPatterns = []struct {
		markers []string
		fold    bool
		re      *regexp.Regexp
		what    string
	}{
		{[]string{"eyJ"}, false, regexp.MustCompile(`eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}`), "JSON Web Token"},
		{[]string{"AKIA", "ASIA", "AGPA", "AIDA", "AROA"}, false, regexp.MustCompile(`\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}\b`), "AWS access key ID"},
		{[]string{"aws_secret"}, true, regexp.MustCompile(`(?i)aws_secret_access_key\s*[=:]\s*"?[A-Za-z0-9/+]{40}`), "AWS secret access key"},
		{[]string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"}, false, regexp.MustCompile(`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{22,}`), "GitHub token"},
		{[]string{"xox"}, false, regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`), "Slack token"},
		{[]string{"PRIVATE KEY-----"}, false, regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`), "private key"},
		{[]string{"AIza"}, false, regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`), "Google API key"},
		{[]string{"k_live_"}, false, regexp.MustCompile(`\b[rs]k_live_[0-9a-zA-Z]{20,}`), "Stripe secret key"},
	}
	bearerRe     = regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9._~+/=-]+)`)
	basicRe      = regexp.MustCompile(`(?i)\bbasic\s+([A-Za-z0-9+/]+={0,2})`)
	headerLineRe = regexp.MustCompile(`(?im)^\s*(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey|x-auth-token|x-access-token|x-jwt-token|private-token)\s*:[ \t]*([^\r\n]*)`)
	// A credential field is recognised alike in the three shapes request
	// bodies take: form-encoded (password=v&...), JSON ("password": "v")
	// and XML (<password>v</password>).
	passwordKVRe  = regexp.MustCompile(`(?i)\b(` + fieldNames + `)=([^&\s"';,]+)`)
	passwordJSRe  = regexp.MustCompile(`(?i)"(` + fieldNames + `)"\s*:\s*"([^"]*)"`)
	passwordXMLRe = regexp.MustCompile(`(?i)<(?:[a-z0-9_.-]+:)?(` + fieldNames + `)(?:\s[^<>]*)?>([^<]*)<`)
	// syntheticRe matches a value that only restates its field's name
	// (password123, secret_1): generated test users, not someone's
	// credential. A value such as test00000 is a real password of a test
	// account and stays a finding.
	syntheticRe = regexp.MustCompile(`(?i)^(?:password|passwd|pass|pwd|secret)[0-9_-]*$`)
	allXRe      = regexp.MustCompile(`(?i)^[x*._-]+$`)
	// formatDirectiveRe finds a string.format directive (%s, %d, %08d,
	// %.3f): the value is a template the script completes at run time.
	formatDirectiveRe = regexp.MustCompile(`%[-+ #0]*[0-9]*(?:\.[0-9]+)?[sdiuxXfgeEcqv]`)
)

// fieldNames are the names of fields and elements whose value is a
// credential, as a regular expression alternative.
const fieldNames = `password|passwd|pwd|pass|client_secret|api[_-]?key|access[_-]?token|auth[_-]?token|secret|token`

var placeholderWords = map[string]bool{
	"changeme": true, "change_me": true, "change-me": true, "placeholder": true, "example": true,
	"redacted": true, "dummy": true, "secret": true, "password": true, "token": true, "todo": true,
	"none": true, "null": true, "nil": true, "undefined": true, "replace_me": true, "replaceme": true,
	"fixme": true, "test": true, "testing": true, "sample": true, "fake": true, "mock": true,
	"user": true, "username": true, "pass": true, "passwd": true, "string": true,
}

// placeholderPrefixes start values that say they are not real
// (FakeCookie, dummy-token, mock_key).
var placeholderPrefixes = []string{"fake", "dummy", "mock", "sample", "placeholder", "your"}

// IsPlaceholder reports whether a credential value is obviously not a real
// one: too short, a template, or a conventional placeholder.
func IsPlaceholder(v string) bool {
	v = strings.TrimSpace(strings.Trim(strings.TrimSpace(v), `"'`))
	l := strings.ToLower(v)
	switch {
	case len(v) < 4,
		strings.Contains(v, "${"), strings.Contains(v, "{{"), strings.Contains(v, "$("),
		formatDirectiveRe.MatchString(v),
		strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">"),
		strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}"),
		strings.HasPrefix(v, "$"),
		allXRe.MatchString(v), strings.Contains(l, "xxxx"),
		placeholderWords[l], syntheticRe.MatchString(v),
		hasAnyPrefix(l, placeholderPrefixes), strings.HasSuffix(l, "_here") || strings.HasSuffix(l, "-here"),
		strings.Contains(l, "example") || strings.Contains(l, "placeholder") || strings.Contains(l, "changeme"):
		return true
	}
	return false
}

// StripScheme removes an auth scheme so that "Bearer <token>" is judged by
// "<token>".
func StripScheme(v string) string {
	v = strings.TrimSpace(v)
	for _, s := range []string{"bearer ", "basic ", "token ", "digest ", "apikey ", "jwt "} {
		if len(v) >= len(s) && strings.EqualFold(v[:len(s)], s) {
			return strings.TrimSpace(v[len(s):])
		}
	}
	return v
}

// Find returns a short description of the credential in a constant
// string ("JSON Web Token", "password"), or "" when it holds none.
func Find(s string) string {
	if len(s) < 8 {
		return "" // too short to hold any credential we recognise
	}
	lower := strings.ToLower(s)
	for _, p := range tokenPatterns {
		in := s
		if p.fold {
			in = lower
		}
		if len(s) >= 16 && containsAny(in, p.markers) && p.re.MatchString(s) {
			return p.what
		}
	}
	if strings.Contains(lower, "bearer") {
		for _, m := range bearerRe.FindAllStringSubmatch(s, -1) {
			if len(m[1]) >= 12 && !IsPlaceholder(m[1]) {
				return "bearer token"
			}
		}
	}
	if strings.Contains(lower, "basic") {
		for _, m := range basicRe.FindAllStringSubmatch(s, -1) {
			if dec, err := base64.StdEncoding.DecodeString(m[1]); err == nil && strings.Contains(string(dec), ":") {
				return "Basic credentials"
			}
		}
	}
	if strings.IndexByte(s, ':') >= 0 && containsAny(lower, headerMarkers) {
		for _, m := range headerLineRe.FindAllStringSubmatch(s, -1) {
			if !IsPlaceholder(StripScheme(m[2])) {
				return m[1] + " header value"
			}
		}
	}
	if !containsAny(lower, fieldMarkers) {
		return ""
	}
	if strings.IndexByte(s, '=') >= 0 {
		for _, m := range passwordKVRe.FindAllStringSubmatch(s, -1) {
			if !IsPlaceholder(m[2]) {
				return strings.ToLower(m[1])
			}
		}
	}
	if strings.IndexByte(s, '"') >= 0 {
		for _, m := range passwordJSRe.FindAllStringSubmatch(s, -1) {
			if !IsPlaceholder(m[2]) {
				return strings.ToLower(m[1])
			}
		}
	}
	if strings.IndexByte(s, '<') >= 0 {
		for _, m := range passwordXMLRe.FindAllStringSubmatch(s, -1) {
			if !IsPlaceholder(m[2]) {
				return strings.ToLower(m[1])
			}
		}
	}
	return ""
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// Cheap substring tests that must pass before a regular expression runs:
// most string literals in a script are paths and formats.
var (
	headerMarkers = []string{"authorization", "cookie", "api-key", "apikey", "auth-token", "access-token", "jwt-token", "private-token"}
	fieldMarkers  = []string{"pass", "pwd", "secret", "api_key", "api-key", "apikey", "token"}
)

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// SensitiveField reports whether a header or field name carries
// credentials.
func SensitiveField(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "apikey",
		"api_key", "x-auth-token", "x-access-token", "x-jwt-token", "private-token", "x-csrf-token",
		"password", "passwd", "pwd", "pass", "secret", "client_secret", "access_token", "token", "auth_token":
		return true
	}
	for _, suf := range []string{"-token", "_token", "password", "-secret", "_secret", "apikey", "api-key", "api_key"} {
		if strings.HasSuffix(n, suf) {
			return true
		}
	}
	return false
}

// minEncodedLen is the shortest literal tried as an encoded credential.
const minEncodedLen = 16

// FindEncoded is Find for a constant the script may decode itself before
// use: the string reversed, ROT13-encoded, decoded from hex or from base64.
// It returns what Find reports for the first decoding that holds a credential, with
// the encoding named ("GitHub token, hex-encoded"), or "".
func FindEncoded(s string) string {
	if len(s) < minEncodedLen {
		return ""
	}
	if what := Find(reverse(s)); what != "" {
		return what + ", reversed"
	}
	if what := Find(rot13(s)); what != "" {
		return what + ", ROT13-encoded"
	}
	if len(s)%2 == 0 && isHex(s) {
		if dec, err := hex.DecodeString(s); err == nil {
			if what := Find(string(dec)); what != "" {
				return what + ", hex-encoded"
			}
		}
	}
	if isBase64(s) {
		trimmed := strings.TrimRight(s, "=")
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			if dec, err := enc.DecodeString(trimmed); err == nil {
				if what := Find(string(dec)); what != "" {
					return what + ", base64-encoded"
				}
				break
			}
		}
	}
	return ""
}

func reverse(s string) string {
	b := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		b[len(s)-1-i] = s[i]
	}
	return string(b)
}

func rot13(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = 'a' + (c-'a'+13)%26
		case c >= 'A' && c <= 'Z':
			b[i] = 'A' + (c-'A'+13)%26
		}
	}
	return string(b)
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func isBase64(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '+' || c == '/' || c == '-' || c == '_' || c == '=') {
			return false
		}
	}
	return true
}

// minByteTable is the shortest table of byte values tried as an encoded
// credential.
const minByteTable = 12

// FindInBytes is Find for a credential kept as a table of byte values
// ({104, 116, ...}) that the script turns back into a string, as is or
// with a constant single-byte XOR or shift (string.char(bit.bxor(b, k)),
// string.char(b - 3)). It returns what Find reports, with the encoding
// named, or "".
func FindInBytes(b []byte) string {
	if len(b) < minByteTable {
		return ""
	}
	if what := Find(string(b)); what != "" {
		return what + ", as byte values"
	}
	buf := make([]byte, len(b))
	for k := 1; k < 256; k++ {
		for _, op := range []struct {
			name string
			f    func(c byte) byte
		}{
			{"XOR-encoded", func(c byte) byte { return c ^ byte(k) }},
			{"shifted", func(c byte) byte { return c - byte(k) }},
		} {
			printable := true
			for i, c := range b {
				buf[i] = op.f(c)
				if buf[i] < 0x20 || buf[i] > 0x7e {
					printable = false
					break
				}
			}
			if !printable {
				continue
			}
			if what := Find(string(buf)); what != "" {
				return what + ", " + op.name + " byte values"
			}
		}
	}
	return ""
}
