package credential

import (
	"encoding/base64"
	"strings"
)

// Span is the byte range [Start, End) of a credential value in a string.
type Span struct{ Start, End int }

// Spans returns where the credentials Find recognises sit in s: the whole
// match for token formats, only the value for "Bearer x", "Basic x",
// header lines and password fields (so that "Authorization: " stays
// readable). Spans are in order of detector, may overlap, and are not
// merged. The same markers gate the regular expressions as in Find, and
// one pass over s looks for all of them first: Spans runs on every line a
// script prints, and most lines hold no marker at all.
func Spans(s string) []Span {
	if len(s) < 8 || !hasMarker(s) {
		return nil
	}
	var out []Span
	lower := strings.ToLower(s)
	if len(s) >= 20 {
		for _, p := range tokenPatterns {
			in := s
			if p.fold {
				in = lower
			}
			if !containsAny(in, p.markers) {
				continue
			}
			for _, m := range p.re.FindAllStringIndex(s, -1) {
				out = append(out, Span{m[0], m[1]})
			}
		}
	}
	if strings.Contains(lower, "bearer") {
		for _, m := range bearerRe.FindAllStringSubmatchIndex(s, -1) {
			if v := s[m[2]:m[3]]; len(v) >= 12 && !IsPlaceholder(v) {
				out = append(out, Span{m[2], m[3]})
			}
		}
	}
	if strings.Contains(lower, "basic") {
		for _, m := range basicRe.FindAllStringSubmatchIndex(s, -1) {
			if dec, err := base64.StdEncoding.DecodeString(s[m[2]:m[3]]); err == nil && strings.Contains(string(dec), ":") {
				out = append(out, Span{m[2], m[3]})
			}
		}
	}
	if strings.IndexByte(s, ':') >= 0 && containsAny(lower, headerMarkers) {
		for _, m := range headerLineRe.FindAllStringSubmatchIndex(s, -1) {
			if v := s[m[4]:m[5]]; strings.TrimSpace(v) != "" && !IsPlaceholder(StripScheme(v)) {
				out = append(out, Span{m[4], m[5]})
			}
		}
	}
	if !containsAny(lower, fieldMarkers) {
		return out
	}
	if strings.IndexByte(s, '=') >= 0 {
		for _, m := range passwordKVRe.FindAllStringSubmatchIndex(s, -1) {
			if !IsPlaceholder(s[m[4]:m[5]]) {
				out = append(out, Span{m[4], m[5]})
			}
		}
	}
	if strings.IndexByte(s, '"') >= 0 {
		for _, m := range passwordJSRe.FindAllStringSubmatchIndex(s, -1) {
			if !IsPlaceholder(s[m[4]:m[5]]) {
				out = append(out, Span{m[4], m[5]})
			}
		}
	}
	return out
}

// markerIndex lists every marker Spans may look for, lower case, by its
// first byte, and marks the markers' first two bytes in a 64 Ki-bit set:
// the prefilter's tables.
var markerIndex = func() (idx struct {
	byFirst [256][]string
	pairs   [1 << 10]uint64
}) {
	all := append([]string{"bearer", "basic"}, headerMarkers...)
	all = append(all, fieldMarkers...)
	for _, p := range tokenPatterns {
		all = append(all, p.markers...)
	}
	for _, m := range all {
		m = strings.ToLower(m)
		idx.byFirst[m[0]] = append(idx.byFirst[m[0]], m)
		pair := uint16(m[0])<<8 | uint16(m[1])
		idx.pairs[pair>>6] |= 1 << (pair & 63)
	}
	return idx
}()

// hasMarker reports whether s contains any marker, ignoring ASCII case.
func hasMarker(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		c0, c1 := lowerASCII(s[i]), lowerASCII(s[i+1])
		pair := uint16(c0)<<8 | uint16(c1)
		if markerIndex.pairs[pair>>6]&(1<<(pair&63)) == 0 {
			continue
		}
		for _, m := range markerIndex.byFirst[c0] {
			if hasPrefixFold(s[i:], m) {
				return true
			}
		}
	}
	return false
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether s starts with the lower-case marker m,
// ignoring ASCII case.
func hasPrefixFold(s, m string) bool {
	if len(s) < len(m) {
		return false
	}
	for j := 0; j < len(m); j++ {
		if lowerASCII(s[j]) != m[j] {
			return false
		}
	}
	return true
}
