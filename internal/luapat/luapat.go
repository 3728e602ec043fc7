// Package luapat holds the character classes of Lua 5.1 patterns as
// LuaJIT 2.1 matches them, in the C locale: the one definition that the
// run-time pattern matcher (internal/lualib) and the analyzer's folding of
// patterns on constants (analyzer/pattern.go) share.
package luapat

// MatchClass tests c against the class letter of %cl (%a, %d, %S, ...),
// or against cl itself when it names no class (%%, %.). Bytes above 127
// belong to no class.
func MatchClass(c, cl byte) bool {
	var r bool
	switch cl | 0x20 {
	case 'a':
		r = isAlpha(c)
	case 'c':
		r = c < 32 || c == 127
	case 'd':
		r = isDigit(c)
	case 'g':
		r = c > 32 && c < 127
	case 'l':
		r = c >= 'a' && c <= 'z'
	case 'p':
		r = c > 32 && c < 127 && !isAlpha(c) && !isDigit(c)
	case 's':
		r = c == ' ' || c >= '\t' && c <= '\r'
	case 'u':
		r = c >= 'A' && c <= 'Z'
	case 'w':
		r = isAlpha(c) || isDigit(c)
	case 'x':
		r = isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f'
	case 'z':
		r = c == 0
	default:
		return cl == c
	}
	if cl >= 'A' && cl <= 'Z' {
		return !r
	}
	return r
}

// MatchBracket tests c against a set written "[...]" (set holds the
// brackets): members, ranges a-z and %-classes, negated by a leading ^.
// A ']' right after "[" or "[^" is a member. The caller has checked that
// set is well formed.
func MatchBracket(set string, c byte) bool {
	ec := len(set) - 1
	p := 1
	sig := true
	if set[p] == '^' {
		sig = false
		p++
	}
	for ; p < ec; p++ {
		switch {
		case set[p] == '%':
			p++
			if MatchClass(c, set[p]) {
				return sig
			}
		case set[p+1] == '-' && p+2 < ec:
			if set[p] <= c && c <= set[p+2] {
				return sig
			}
			p += 2
		case set[p] == c:
			return sig
		}
	}
	return !sig
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
