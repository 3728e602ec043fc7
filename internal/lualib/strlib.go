package lualib

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

func (lb *lib) stringFuncs() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"byte": lb.strByte, "char": lb.strChar, "find": lb.strFind,
		"format": lb.strFormat, "gmatch": lb.strGmatch, "gsub": lb.strGsub,
		"len": lb.strLen, "lower": lb.strLower, "match": lb.strMatch,
		"rep": lb.strRep, "reverse": lb.strReverse, "sub": lb.strSub,
		"upper": lb.strUpper,
	}
}

// strRange converts Lua's 1-based, negative-from-the-end bounds to a
// half-open byte range (empty when i > j).
func strRange(l, i, j int) (int, int) {
	if i < 0 {
		i += l + 1
		if i < 0 {
			i = 0
		}
	}
	if j < 0 {
		j += l + 1
		if j < 0 {
			j = 0
		}
	}
	if i < 1 {
		i = 1
	}
	if j > l {
		j = l
	}
	if i > j {
		return 0, 0
	}
	return i - 1, j
}

func (lb *lib) strLen(ls *lua.LState) int {
	padNil(ls)
	ls.Push(lua.LNumber(len(checkString(ls, 1))))
	return 1
}

func (lb *lib) strSub(ls *lua.LState) int {
	s := checkString(ls, 1)
	i, j := strRange(len(s), checkInt(ls, 2), optInt(ls, 3, -1))
	ls.Push(lua.LString(s[i:j]))
	return 1
}

func (lb *lib) strByte(ls *lua.LState) int {
	s := checkString(ls, 1)
	i := optInt(ls, 2, 1)
	i, j := strRange(len(s), i, optInt(ls, 3, i))
	if j-i > lb.lim.MaxTable || j-i > maxCStack {
		raise(ls, "string slice too long")
	}
	for k := i; k < j; k++ {
		ls.Push(lua.LNumber(s[k]))
	}
	return j - i
}

func (lb *lib) strChar(ls *lua.LState) int {
	n := ls.GetTop()
	b := make([]byte, n)
	for i := 1; i <= n; i++ {
		c := checkInt(ls, i)
		if c < 0 || c > 255 {
			argError(ls, i, "invalid value")
		}
		b[i-1] = byte(c)
	}
	ls.Push(lua.LString(b))
	return 1
}

func (lb *lib) strLower(ls *lua.LState) int {
	s := checkString(ls, 1)
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	ls.Push(lua.LString(b))
	return 1
}

func (lb *lib) strUpper(ls *lua.LState) int {
	s := checkString(ls, 1)
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	ls.Push(lua.LString(b))
	return 1
}

func (lb *lib) strReverse(ls *lua.LState) int {
	s := checkString(ls, 1)
	b := make([]byte, len(s))
	for i := range len(s) {
		b[len(s)-1-i] = s[i]
	}
	ls.Push(lua.LString(b))
	return 1
}

// strRep is string.rep(s, n [, sep]); the result size is checked before
// anything is allocated.
func (lb *lib) strRep(ls *lua.LState) int {
	s := checkString(ls, 1)
	n := checkInt(ls, 2)
	sep := optString(ls, 3, "")
	if n <= 0 || len(s)+len(sep) == 0 {
		ls.Push(lua.LString(""))
		return 1
	}
	total := int64(len(s))*int64(n) + int64(len(sep))*int64(n-1)
	lb.checkSize(ls, total)
	if sep == "" {
		ls.Push(lua.LString(strings.Repeat(s, n)))
		return 1
	}
	var b strings.Builder
	b.Grow(int(total))
	for i := range n {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s)
	}
	ls.Push(lua.LString(b.String()))
	return 1
}

// newMatcher prepares matching src against pat. LuaJIT reads a pattern as
// a C string: it ends at the first NUL byte.
func (lb *lib) newMatcher(ls *lua.LState, src, pat string) *matcher {
	return &matcher{ls: ls, b: lb.newBudget(ls, "pattern matching"), src: src, pat: cString(pat)}
}

func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// findStart is find/match's init argument as a 0-based offset; past the
// end it is clamped to the end, as LuaJIT does (gopher-lua panics there).
func findStart(ls *lua.LState, l int) int {
	st := optInt(ls, 3, 1)
	if st < 0 {
		st += l + 1
		if st < 0 {
			st = 0
		}
	}
	if st == 0 {
		st = 1
	}
	if st > l+1 {
		st = l + 1
	}
	return st - 1
}

func (lb *lib) strFind(ls *lua.LState) int  { return lb.findAux(ls, true) }
func (lb *lib) strMatch(ls *lua.LState) int { return lb.findAux(ls, false) }

func (lb *lib) findAux(ls *lua.LState, find bool) int {
	src := checkString(ls, 1)
	pat := checkString(ls, 2)
	st := findStart(ls, len(src))
	if find && (lua.LVAsBool(ls.Get(4)) || !strings.ContainsAny(pat, patSpecials)) {
		if i := strings.Index(src[st:], pat); i >= 0 {
			ls.Push(lua.LNumber(st + i + 1))
			ls.Push(lua.LNumber(st + i + len(pat)))
			return 2
		}
		ls.Push(lua.LNil)
		return 1
	}
	m := lb.newMatcher(ls, src, pat)
	pat = m.pat
	p := 0
	anchor := pat != "" && pat[0] == '^'
	if anchor {
		p = 1
	}
	lit, isLit := literalFirst(pat, p)
	for s := st; ; s++ {
		if isLit && !anchor {
			// Skip to the next place the pattern's first byte occurs:
			// scanning a large body for '"id":(%d+)' costs a memchr, not a
			// match attempt per byte.
			j := strings.IndexByte(src[s:], lit)
			if j < 0 {
				break
			}
			m.b.step(j >> 4)
			s += j
		}
		m.level, m.depth = 0, 0
		if e := m.match(s, p); e != -1 {
			if find {
				ls.Push(lua.LNumber(s + 1))
				ls.Push(lua.LNumber(e))
				return 2 + m.pushCaptures(-1, -1, false)
			}
			return m.pushCaptures(s, e, true)
		}
		if anchor || s >= len(src) {
			break
		}
	}
	ls.Push(lua.LNil)
	return 1
}

func (lb *lib) strGmatch(ls *lua.LState) int {
	src := checkString(ls, 1)
	pat := checkString(ls, 2)
	pos := 0
	ls.Push(ls.NewFunction(func(ls *lua.LState) int {
		m := lb.newMatcher(ls, src, pat)
		lit, isLit := literalFirst(m.pat, 0)
		for s := pos; s <= len(src); s++ {
			if isLit {
				j := strings.IndexByte(src[s:], lit)
				if j < 0 {
					break
				}
				m.b.step(j >> 4)
				s += j
			}
			m.level, m.depth = 0, 0
			if e := m.match(s, 0); e != -1 {
				pos = e
				if e == s {
					pos++
				}
				return m.pushCaptures(s, e, true)
			}
		}
		pos = len(src) + 1
		return 0
	}))
	return 1
}

// buffer builds a string that may not grow past max bytes. It grows by
// four times up to max, so a call that ends with "not enough memory" has
// allocated about 1.4 times the limit in all (append's 1.25x growth for
// large slices allocated five times the limit before failing).
type buffer struct {
	b   []byte
	ls  *lua.LState
	max int
}

// reserve makes room for n more bytes or raises "not enough memory".
func (b *buffer) reserve(n int) {
	need := len(b.b) + n
	if need > b.max || need < 0 {
		raiseMemory(b.ls)
	}
	if need <= cap(b.b) {
		return
	}
	c := max(4*cap(b.b), need, 256)
	c = min(c, b.max)
	nb := make([]byte, len(b.b), c)
	copy(nb, b.b)
	b.b = nb
}

func (b *buffer) add(s string) {
	b.reserve(len(s))
	b.b = append(b.b, s...)
}

func (b *buffer) addByte(c byte) {
	if len(b.b) == cap(b.b) {
		b.reserve(1)
	}
	b.b = append(b.b, c)
}

func (b *buffer) Len() int { return len(b.b) }

func (b *buffer) String() string { return string(b.b) }

func (lb *lib) strGsub(ls *lua.LState) int {
	src := checkString(ls, 1)
	pat := checkString(ls, 2)
	repl := ls.Get(3)
	switch repl.(type) {
	case lua.LNumber, lua.LString, *lua.LTable, *lua.LFunction:
	default:
		argError(ls, 3, "string/function/table expected")
	}
	var replStr string
	if _, ok := repl.(*lua.LTable); !ok {
		if _, ok := repl.(*lua.LFunction); !ok {
			replStr = checkString(ls, 3)
		}
	}
	maxN := optInt(ls, 4, len(src)+1)
	m := lb.newMatcher(ls, src, pat)
	pat = m.pat
	out := &buffer{ls: ls, max: lb.lim.MaxString}
	p := 0
	anchor := pat != "" && pat[0] == '^'
	if anchor {
		p = 1
	}
	n, s := 0, 0
	lit, isLit := literalFirst(pat, p)
loop:
	for n < maxN {
		if isLit && !anchor {
			j := strings.IndexByte(src[s:], lit)
			if j < 0 {
				break
			}
			m.b.step(j >> 4)
			out.add(src[s : s+j])
			s += j
		}
		m.level, m.depth = 0, 0
		e := m.match(s, p)
		if e != -1 {
			n++
			lb.addValue(m, out, s, e, repl, replStr)
		}
		switch {
		case e != -1 && e > s:
			s = e
		case s < len(src):
			out.addByte(src[s])
			s++
		default:
			break loop
		}
		if anchor {
			break
		}
	}
	out.add(src[s:])
	ls.Push(lua.LString(out.String()))
	ls.Push(lua.LNumber(n))
	return 2
}

func (lb *lib) addValue(m *matcher, out *buffer, s, e int, repl lua.LValue, replStr string) {
	ls := m.ls
	var v lua.LValue
	switch r := repl.(type) {
	case lua.LString, lua.LNumber:
		for i := 0; i < len(replStr); i++ {
			c := replStr[i]
			if c != '%' {
				j := strings.IndexByte(replStr[i:], '%')
				if j < 0 {
					j = len(replStr) - i
				}
				out.add(replStr[i : i+j])
				i += j - 1
				continue
			}
			i++
			// A trailing '%' adds the C string's terminating NUL, as
			// LuaJIT does.
			var d byte
			if i < len(replStr) {
				d = replStr[i]
			}
			switch {
			case d < '0' || d > '9':
				out.addByte(d)
			case d == '0':
				out.add(m.src[s:e])
			default:
				out.add(rawToString(m.captureValue(int(d-'1'), s, e)))
			}
			// Each %-item is work even when it adds one byte.
			m.b.step(1)
		}
		return
	case *lua.LTable:
		v = ls.GetTable(r, m.captureValue(0, s, e))
	case *lua.LFunction:
		ls.Push(r)
		n := m.pushCaptures(s, e, true)
		ls.Call(n, 1)
		v = ls.Get(-1)
		ls.Pop(1)
	}
	switch v := v.(type) {
	case lua.LString:
		out.add(string(v))
	case lua.LNumber:
		out.add(FormatNumber(float64(v)))
	case *lua.LNilType:
		out.add(m.src[s:e])
	case lua.LBool:
		if v {
			raise(ls, "invalid replacement value (a boolean)")
		}
		out.add(m.src[s:e])
	default:
		raise(ls, "invalid replacement value (a "+v.Type().String()+")")
	}
}

// literalFirst reports the byte a match of pat[p:] must start with, when
// its first item is a plain character that must occur at least once.
func literalFirst(pat string, p int) (byte, bool) {
	if p >= len(pat) || strings.IndexByte("^$*+?.([%-)]", pat[p]) >= 0 {
		return 0, false
	}
	if p+1 < len(pat) && strings.IndexByte("*?-", pat[p+1]) >= 0 {
		return 0, false
	}
	return pat[p], true
}
