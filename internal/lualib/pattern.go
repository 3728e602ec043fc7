package lualib

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/wrklint/wrklint/internal/luapat"
)

// Lua 5.1 patterns as LuaJIT 2.1 implements them, written for this
// package: a backtracking matcher whose Go recursion is bounded by
// maxMatchDepth (LuaJIT's own limit, "pattern too complex") and whose work
// is charged to a budget, so that a catastrophic pattern on a large
// subject ends with an error instead of running for minutes.

const (
	maxCaptures   = 32  // LUA_MAXCAPTURES
	maxMatchDepth = 200 // LuaJIT's LJ_MAX_XLEVEL
	capUnfinished = -1
	capPosition   = -2
	patSpecials   = "^$*+?.([%-"
)

type capture struct {
	start, len int
}

type matcher struct {
	ls    *lua.LState
	b     *budget
	src   string
	pat   string
	level int
	depth int
	capt  [maxCaptures]capture
}

func (m *matcher) fail(msg string) { raise(m.ls, msg) }

// classEnd returns the index just after the single-character class at p.
func (m *matcher) classEnd(p int) int {
	pat := m.pat
	c := pat[p]
	p++
	switch c {
	case '%':
		if p >= len(pat) {
			m.fail("malformed pattern (ends with '%')")
		}
		return p + 1
	case '[':
		if p < len(pat) && pat[p] == '^' {
			p++
		}
		for {
			// The first character after '[' or '[^' is part of the set,
			// even when it is ']'.
			if p >= len(pat) {
				m.fail("malformed pattern (missing ']')")
			}
			c := pat[p]
			p++
			if c == '%' && p < len(pat) {
				p++
			}
			if p < len(pat) && pat[p] == ']' {
				return p + 1
			}
		}
	}
	return p
}

// matchBracket tests c against the set pat[p] == '[' .. pat[ec] == ']'.
func (m *matcher) matchBracket(c byte, p, ec int) bool {
	return luapat.MatchBracket(m.pat[p:ec+1], c)
}

func (m *matcher) singleMatch(s, p, ep int) bool {
	if s >= len(m.src) {
		return false
	}
	c := m.src[s]
	switch m.pat[p] {
	case '.':
		return true
	case '%':
		return luapat.MatchClass(c, m.pat[p+1])
	case '[':
		return m.matchBracket(c, p, ep-1)
	default:
		return m.pat[p] == c
	}
}

// match returns the end of the match of pat[p:] at src[s:], or -1.
func (m *matcher) match(s, p int) int {
	m.depth++
	if m.depth > maxMatchDepth {
		m.fail("pattern too complex")
	}
	r := m.doMatch(s, p)
	m.depth--
	return r
}

func (m *matcher) doMatch(s, p int) int {
	pat := m.pat
	for {
		m.b.step(1)
		if p == len(pat) {
			return s
		}
		switch pat[p] {
		case '(':
			if p+1 < len(pat) && pat[p+1] == ')' {
				return m.startCapture(s, p+2, capPosition)
			}
			return m.startCapture(s, p+1, capUnfinished)
		case ')':
			return m.endCapture(s, p+1)
		case '$':
			if p+1 == len(pat) {
				if s == len(m.src) {
					return s
				}
				return -1
			}
		case '%':
			if p+1 < len(pat) {
				switch c := pat[p+1]; {
				case c == 'b':
					s = m.matchBalance(s, p+2)
					if s == -1 {
						return -1
					}
					p += 4
					continue
				case c == 'f':
					p += 2
					if p >= len(pat) || pat[p] != '[' {
						m.fail("missing '[' after '%f' in pattern")
					}
					ep := m.classEnd(p)
					var prev, cur byte
					if s > 0 {
						prev = m.src[s-1]
					}
					if s < len(m.src) {
						cur = m.src[s]
					}
					if !m.matchBracket(prev, p, ep-1) && m.matchBracket(cur, p, ep-1) {
						p = ep
						continue
					}
					return -1
				case c >= '0' && c <= '9':
					s = m.matchCapture(s, c)
					if s == -1 {
						return -1
					}
					p += 2
					continue
				}
			}
		}
		ep := m.classEnd(p)
		matched := m.singleMatch(s, p, ep)
		if ep < len(pat) {
			switch pat[ep] {
			case '?':
				if matched {
					if r := m.match(s+1, ep+1); r != -1 {
						return r
					}
				}
				p = ep + 1
				continue
			case '*':
				return m.maxExpand(s, p, ep)
			case '+':
				if !matched {
					return -1
				}
				return m.maxExpand(s+1, p, ep)
			case '-':
				return m.minExpand(s, p, ep)
			}
		}
		if !matched {
			return -1
		}
		s++
		p = ep
	}
}

func (m *matcher) maxExpand(s, p, ep int) int {
	i := 0
	for m.singleMatch(s+i, p, ep) {
		i++
		// A scanned byte costs a tenth of a match attempt; charge in
		// chunks so that a long run is stopped while it is scanned.
		if i&4095 == 0 {
			m.b.step(4096 / 8)
		}
	}
	m.b.step((i & 4095) / 8)
	for ; i >= 0; i-- {
		if r := m.match(s+i, ep+1); r != -1 {
			return r
		}
	}
	return -1
}

func (m *matcher) minExpand(s, p, ep int) int {
	for {
		if r := m.match(s, ep+1); r != -1 {
			return r
		}
		if !m.singleMatch(s, p, ep) {
			return -1
		}
		s++
	}
}

func (m *matcher) matchBalance(s, p int) int {
	if p+1 >= len(m.pat) {
		m.fail("unbalanced pattern")
	}
	if s >= len(m.src) || m.src[s] != m.pat[p] {
		return -1
	}
	open, closing := m.pat[p], m.pat[p+1]
	depth := 1
	for i := s + 1; i < len(m.src); i++ {
		switch m.src[i] {
		case closing:
			depth--
			if depth == 0 {
				m.b.step(i - s)
				return i + 1
			}
		case open:
			depth++
		}
	}
	m.b.step(len(m.src) - s)
	return -1
}

func (m *matcher) startCapture(s, p, what int) int {
	if m.level >= maxCaptures {
		m.fail("too many captures")
	}
	m.capt[m.level] = capture{start: s, len: what}
	m.level++
	r := m.match(s, p)
	if r == -1 {
		m.level--
	}
	return r
}

func (m *matcher) endCapture(s, p int) int {
	l := -1
	for i := m.level - 1; i >= 0; i-- {
		if m.capt[i].len == capUnfinished {
			l = i
			break
		}
	}
	if l < 0 {
		m.fail("invalid pattern capture")
	}
	m.capt[l].len = s - m.capt[l].start
	r := m.match(s, p)
	if r == -1 {
		m.capt[l].len = capUnfinished
	}
	return r
}

func (m *matcher) matchCapture(s int, c byte) int {
	l := int(c - '1')
	if l < 0 || l >= m.level || m.capt[l].len == capUnfinished {
		m.fail("invalid capture index")
	}
	n := m.capt[l].len
	if n < 0 || len(m.src)-s < n {
		return -1
	}
	m.b.step(n)
	st := m.capt[l].start
	if m.src[st:st+n] == m.src[s:s+n] {
		return s + n
	}
	return -1
}

// captureValue is capture i of a match of src[s:e].
func (m *matcher) captureValue(i, s, e int) lua.LValue {
	if i >= m.level {
		if i != 0 {
			m.fail("invalid capture index")
		}
		return lua.LString(m.src[s:e])
	}
	c := m.capt[i]
	switch c.len {
	case capUnfinished:
		m.fail("unfinished capture")
	case capPosition:
		return lua.LNumber(c.start + 1)
	}
	return lua.LString(m.src[c.start : c.start+c.len])
}

// pushCaptures pushes the captures of a match of src[s:e] (the whole match
// when there are none and whole is set) and returns how many.
func (m *matcher) pushCaptures(s, e int, whole bool) int {
	n := m.level
	if n == 0 && whole {
		n = 1
	}
	for i := 0; i < n; i++ {
		m.ls.Push(m.captureValue(i, s, e))
	}
	return n
}
