package redact

import (
	"encoding/binary"
	"slices"
	"strings"
	"sync"

	"github.com/wrklint/wrklint/internal/credential"
)

const (
	// MinLen is the shortest value a Set registers: shorter values are
	// too common to mask ("admin", "1234") and too weak to matter.
	MinLen = 6
	// Mask replaces every secret in the output.
	Mask = "[redacted]"
	// maxValues bounds the values a Set keeps besides the pinned ones: a
	// server that sets a fresh session cookie on every response must not
	// grow it without bound. The oldest half is forgotten when it is full.
	maxValues = 4096
	// maxValueLen bounds one registered value: a multi-megabyte header is
	// not a credential worth a copy.
	maxValueLen = 16 << 10
)

// Set is the known secret values of one run. It is safe for concurrent
// use: every thread state adds to it, and the writers read it.
//
// Lookups are built for output that holds no secret, the common case: a
// 64 Ki-bit filter over the first 4 bytes of every value rejects almost
// every position of the text with one multiplication and one bit test,
// and only a hit looks up the values starting with the same MinLen bytes.
type Set struct {
	mu       sync.RWMutex
	pinned   []string // never forgotten: environment values
	values   []string // forgotten oldest first: header values
	have     map[string]bool
	byPrefix map[string][]string // first MinLen bytes -> values, longest first
	filter   [1 << 10]uint64
	// multiline are values with a line break: the only ones a Writer's
	// line-based hold-back could split.
	multiline []string
}

// NewSet returns an empty Set.
func NewSet() *Set {
	return &Set{have: map[string]bool{}, byPrefix: map[string][]string{}}
}

// AddPinned registers an environment variable's value for the whole run.
func (s *Set) AddPinned(v string) { s.add(v, true) }

// Add registers a value seen in a header; it may be forgotten after
// thousands of newer ones.
func (s *Set) Add(v string) { s.add(v, false) }

// AddHeader registers a header's value when its name marks a credential
// (SensitiveHeader): the whole value, the value without its auth scheme
// ("Bearer x" -> "x"), and for cookies each cookie's value.
func (s *Set) AddHeader(name, value string) {
	if len(value) < MinLen || !SensitiveHeader(name) || s.has(value) {
		return // the same header value on every request is the common case
	}
	s.Add(value)
	if v := credential.StripScheme(value); len(v) != len(value) {
		s.Add(v)
	}
	if containsFold(name, "cookie") {
		setCookie := containsFold(name, "set-cookie")
		for i, part := range strings.Split(value, ";") {
			_, v, ok := strings.Cut(part, "=")
			if ok && (!setCookie || i == 0 || !cookieAttr(part)) {
				s.Add(strings.TrimSpace(v))
			}
		}
	}
}

// cookieAttr reports whether a Set-Cookie part is an attribute such as
// Path=/ or Expires=..., not a cookie value.
func cookieAttr(part string) bool {
	name, _, _ := strings.Cut(strings.TrimSpace(part), "=")
	switch strings.ToLower(name) {
	case "path", "domain", "expires", "max-age", "samesite", "priority", "partitioned":
		return true
	}
	return false
}

func (s *Set) has(v string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.have[v]
}

func (s *Set) add(v string, pinned bool) {
	if len(v) < MinLen || len(v) > maxValueLen || s.has(v) {
		return
	}
	v = strings.Clone(v) // the caller's string may live in a reused buffer
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.have[v] {
		return
	}
	if pinned {
		s.pinned = append(s.pinned, v)
	} else {
		if len(s.values) >= maxValues {
			s.values = slices.Delete(s.values, 0, len(s.values)/2)
			s.rebuild()
		}
		s.values = append(s.values, v)
	}
	s.index(v)
}

// index adds v to the lookup structures; s.mu is held.
func (s *Set) index(v string) {
	s.have[v] = true
	h := hash4(v)
	s.filter[h>>6] |= 1 << (h & 63)
	p := v[:MinLen]
	s.byPrefix[p] = append(s.byPrefix[p], v)
	slices.SortFunc(s.byPrefix[p], func(a, b string) int { return len(b) - len(a) })
	if strings.ContainsAny(v, "\r\n") {
		s.multiline = append(s.multiline, v)
	}
}

func (s *Set) rebuild() {
	s.have = map[string]bool{}
	s.byPrefix = map[string][]string{}
	s.filter = [len(s.filter)]uint64{}
	s.multiline = nil
	for _, v := range s.pinned {
		s.index(v)
	}
	for _, v := range s.values {
		s.index(v)
	}
}

// Len is the number of values the Set holds.
func (s *Set) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.pinned) + len(s.values)
}

// hash4 maps the first 4 bytes of s to a filter bit (16 bits).
func hash4(s string) uint32 {
	return (binary.LittleEndian.Uint32([]byte(s[:4])) * 2654435761) >> 16
}

// span is a byte range [start, end) to mask.
type span struct{ start, end int }

// known appends the spans of registered values in text, leftmost-longest.
func (s *Set) known(text string, out []span) []span {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.have) == 0 {
		return out
	}
	for i := 0; i+MinLen <= len(text); i++ {
		h := (binary.LittleEndian.Uint32([]byte(text[i:i+4])) * 2654435761) >> 16
		if s.filter[h>>6]&(1<<(h&63)) == 0 {
			continue
		}
		for _, v := range s.byPrefix[text[i:i+MinLen]] {
			if strings.HasPrefix(text[i:], v) {
				out = append(out, span{i, i + len(v)})
				i += len(v) - 1
				break
			}
		}
	}
	return out
}

// partial is the length of the longest suffix of text that is a proper
// prefix of a registered value containing a line break: text a Writer
// must hold back although it ends a line.
func (s *Set) partial(text string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	best := 0
	for _, v := range s.multiline {
		for k := min(len(v)-1, len(text)); k > best; k-- {
			if strings.HasSuffix(text, v[:k]) {
				best = k
				break
			}
		}
	}
	return best
}

// Redact returns text with every registered value and every
// credential-shaped string masked, and how many were masked. A nil Set
// masks only credential-shaped strings.
func (s *Set) Redact(text string) (string, int) {
	spans := findSpans(s, text, nil)
	if len(spans) == 0 {
		return text, 0
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, sp := range spans {
		b.WriteString(text[last:sp.start])
		b.WriteString(Mask)
		last = sp.end
	}
	b.WriteString(text[last:])
	return b.String(), len(spans)
}

// findSpans returns the merged, sorted spans to mask in text.
func findSpans(s *Set, text string, buf []span) []span {
	out := buf[:0]
	if s != nil {
		out = s.known(text, out)
	}
	for _, c := range credential.Spans(text) {
		out = append(out, span{c.Start, c.End})
	}
	if len(out) < 2 {
		return out
	}
	slices.SortFunc(out, func(a, b span) int { return a.start - b.start })
	merged := out[:1]
	for _, sp := range out[1:] {
		if last := &merged[len(merged)-1]; sp.start <= last.end {
			last.end = max(last.end, sp.end)
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}
