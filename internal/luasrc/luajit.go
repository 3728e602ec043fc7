package luasrc

import (
	"math"
	"strconv"
	"strings"
)

// parseCopy returns the source rewritten so that gopher-lua (a Lua 5.1
// parser) accepts what LuaJIT accepts, keeping every byte offset and line
// break in place so that positions stay exact:
//
//   - a '#' first line is blanked;
//   - number literals only LuaJIT reads (0x1p4, 10ULL, 12LL, 0b101, 3i)
//     become a decimal literal of the same length when their value fits,
//     or 0 padded with spaces;
//   - identifiers with bytes >= 0x80 become unused ASCII names of the same
//     length, one per distinct name;
//   - short strings that span lines (a "\z" continuation) are filled so
//     that every line ends in a backslash; their real value comes from our
//     own lexer.
//
// A hostile script cannot use these forms to make wrklint give up on it.
// It returns false if a rewrite is impossible (no unused name of the
// needed length).
func parseCopy(src []byte, shebangEnd int, toks []Token) ([]byte, bool) {
	var out []byte
	ensure := func() {
		if out == nil {
			out = append([]byte(nil), src...)
		}
	}
	if shebangEnd > 0 {
		ensure()
		for i := 0; i < shebangEnd; i++ {
			if out[i] != '\r' {
				out[i] = ' '
			}
		}
	}
	var used map[string]bool
	renamed := map[string]string{}
	for ti, t := range toks {
		switch t.Kind {
		case TkNumber:
			if rep, ok := luajitNumber(t.Value); ok {
				// Never let the replacement merge with a name before it
				// ("x.0i" must not become the name "x0").
				if t.Start > 0 && (isNameChar(src[t.Start-1]) || src[t.Start-1] == '.') {
					rep = " " + strings.TrimRight(rep, " ")
					if len(rep) > len(t.Value) {
						rep = " 0"
					}
					rep += strings.Repeat(" ", len(t.Value)-len(rep))
				}
				ensure()
				copy(out[t.Start:t.End], rep)
			}
		case TkName:
			if !hasHighByte(t.Value) {
				continue
			}
			if used == nil {
				used = map[string]bool{}
				for _, u := range toks {
					if u.Kind == TkName {
						used[u.Value] = true
					}
				}
			}
			rep, ok := renamed[t.Value]
			if !ok {
				rep, ok = freshName(len(t.Value), used)
				if !ok {
					return nil, false
				}
				renamed[t.Value] = rep
				used[rep] = true
			}
			ensure()
			copy(out[t.Start:t.End], rep)
			// The AST will carry the new name: align on it.
			toks[ti].Value = rep
		case TkString:
			raw := src[t.Start:t.End]
			if raw[0] != '"' && raw[0] != '\'' {
				continue
			}
			if !strings.ContainsAny(string(raw), "\n\r") {
				continue
			}
			ensure()
			for i := t.Start + 1; i < t.End-1; i++ {
				c := src[i]
				if c == '\n' || c == '\r' {
					continue
				}
				out[i] = 'a'
				if n := src[i+1]; n == '\n' || n == '\r' {
					out[i] = '\\'
				}
			}
		}
	}
	if out == nil {
		return src, true
	}
	return out, true
}

func hasHighByte(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

const nameAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"

// freshName returns an identifier of length n that is not in used and is
// not a keyword.
func freshName(n int, used map[string]bool) (string, bool) {
	buf := make([]byte, n)
	var try func(i int) bool
	budget := 100000
	try = func(i int) bool {
		if i == n {
			return !used[string(buf)] && !isKeyword(buf)
		}
		for _, c := range []byte(nameAlphabet) {
			budget--
			if budget < 0 {
				return false
			}
			buf[i] = c
			if try(i + 1) {
				return true
			}
		}
		return false
	}
	if try(0) {
		return string(buf), true
	}
	return "", false
}

// luajitNumber rewrites a LuaJIT-only number literal to a Lua 5.1 one of
// the same length. It returns false for literals Lua 5.1 already reads.
func luajitNumber(lit string) (string, bool) {
	if lua51Number(lit) {
		return "", false
	}
	v, ok := luajitNumberValue(lit)
	if !ok {
		l := strings.ToLower(lit)
		if !strings.HasSuffix(l, "i") || !(lua51Number(l[:len(l)-1]) || validLuaJIT(l[:len(l)-1])) {
			return "", false // malformed for LuaJIT too: let the parser report it
		}
	}
	rep := "0"
	if ok {
		if s := strconv.FormatFloat(v, 'g', -1, 64); len(s) <= len(lit) && !strings.ContainsAny(s, "+") {
			rep = s
		}
	}
	return rep + strings.Repeat(" ", len(lit)-len(rep)), true
}

func validLuaJIT(l string) bool {
	_, ok := luajitNumberValue(l)
	return ok
}

// lua51Number reports whether gopher-lua reads lit as one number.
func lua51Number(lit string) bool {
	l := strings.ToLower(lit)
	if strings.HasPrefix(l, "0x") {
		if len(l) == 2 {
			return false
		}
		for _, c := range l[2:] {
			if !strings.ContainsRune("0123456789abcdef", c) {
				return false
			}
		}
		return true
	}
	_, err := strconv.ParseFloat(l, 64)
	return err == nil && !strings.ContainsAny(l, "xpbiunl_")
}

// luajitNumberValue computes the value of a LuaJIT literal: hex floats,
// binary literals and the ULL/LL/i suffixes (an imaginary literal has no
// real value).
func luajitNumberValue(lit string) (float64, bool) {
	l := strings.ToLower(lit)
	if strings.HasSuffix(l, "i") {
		return 0, false
	}
	l = strings.TrimSuffix(strings.TrimSuffix(l, "ull"), "ll")
	switch {
	case strings.HasPrefix(l, "0b"):
		n, err := strconv.ParseUint(l[2:], 2, 64)
		return float64(n), err == nil
	case strings.HasPrefix(l, "0x"):
		if strings.ContainsAny(l, "p.") {
			v, err := strconv.ParseFloat(l, 64)
			return v, err == nil && !math.IsInf(v, 0)
		}
		n, err := strconv.ParseUint(l[2:], 16, 64)
		return float64(n), err == nil
	}
	v, err := strconv.ParseFloat(l, 64)
	return v, err == nil && !math.IsInf(v, 0)
}

// validNumber reports whether LuaJIT accepts lit as a number literal.
func validNumber(lit string) bool {
	if lua51Number(lit) {
		return true
	}
	if _, ok := luajitNumberValue(lit); ok {
		return true
	}
	l := strings.ToLower(lit)
	return strings.HasSuffix(l, "i") && len(l) > 1 && validNumber(l[:len(l)-1])
}
