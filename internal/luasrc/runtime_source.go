package luasrc

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// RuntimeSource returns src rewritten so that gopher-lua (a Lua 5.1
// parser) runs what LuaJIT runs, with the same values, every Token on
// its original line:
//
//   - number literals only LuaJIT reads (0x1p4, 0b101, 10ULL, 12LL)
//     become their value in decimal (ULL/LL literals are 64-bit cdata in
//     LuaJIT, a plain number here: docs/wrk-compatibility.md);
//   - short strings with escapes gopher-lua decodes differently ("\x41",
//     "\u{41}", "\z") are re-encoded with decimal escapes; the line
//     breaks a "\z" skipped follow the string, so later lines keep their
//     numbers;
//   - identifiers with bytes >= 0x80 get ASCII names, as for the analysis.
//
// Unlike parseCopy, which keeps byte offsets for the analysis and may
// lose values, this keeps values and lines. src must not start with a
// "#" line (the loader blanks it first). A source the lexer rejects is
// returned unchanged, for gopher-lua to report; an error is returned for
// literals that cannot be represented (imaginary numbers).
func RuntimeSource(src []byte) ([]byte, error) {
	toks, _, _, lerr := LexInto(nil, src, 0)
	if lerr != nil {
		return src, nil
	}
	var out []byte
	last := 0 // src[last:] is not yet copied to out
	replace := func(t Token, rep string) {
		if out == nil {
			out = make([]byte, 0, len(src)+64)
		}
		out = append(out, src[last:t.Start]...)
		out = append(out, rep...)
		last = t.End
	}
	var used map[string]bool
	renamed := map[string]string{}
	for _, t := range toks {
		switch t.Kind {
		case TkNumber:
			if lua51Number(t.Value) {
				continue
			}
			l := strings.ToLower(t.Value)
			if strings.HasSuffix(l, "i") {
				return nil, fmt.Errorf("line %d: imaginary number %s needs LuaJIT's FFI, which wrkrun does not have", lineOf(src, t.Start), t.Value)
			}
			v, ok := luajitNumberValue(t.Value)
			if !ok {
				continue // malformed for LuaJIT too: gopher-lua reports it
			}
			rep := strconv.FormatFloat(v, 'g', -1, 64)
			if math.IsInf(v, 0) {
				rep = "(1/0)"
			}
			// Never let the replacement merge with what is before it.
			if t.Start > 0 && (isNameChar(src[t.Start-1]) || src[t.Start-1] == '.') {
				rep = " " + rep
			}
			replace(t, rep)
		case TkString:
			raw := src[t.Start:t.End]
			if (raw[0] != '"' && raw[0] != '\'') || !needsReencode(raw) {
				continue
			}
			replace(t, encodeString(t.Value)+lineBreaks(raw))
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
				if rep, ok = freshName(len(t.Value), used); !ok {
					return nil, fmt.Errorf("too many distinct non-ASCII identifiers")
				}
				renamed[t.Value] = rep
				used[rep] = true
			}
			replace(t, rep)
		}
	}
	if out == nil {
		return src, nil
	}
	return append(out, src[last:]...), nil
}

// needsReencode reports whether a short string's source has an escape
// that Lua 5.1 reads differently from LuaJIT, or a line continuation.
func needsReencode(raw []byte) bool {
	for i := 1; i < len(raw)-1; i++ {
		if raw[i] != '\\' {
			continue
		}
		i++
		switch raw[i] {
		case 'x', 'u', 'z', '\n', '\r':
			return true
		}
	}
	return false
}

// encodeString is a Lua 5.1 string literal of s on one line.
func encodeString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "\\%03d", c)
	}
	b.WriteByte('"')
	return b.String()
}

// lineBreaks returns the line-break bytes of raw, in order.
func lineBreaks(raw []byte) string {
	var b []byte
	for _, c := range raw {
		if c == '\n' || c == '\r' {
			b = append(b, c)
		}
	}
	return string(b)
}

func lineOf(src []byte, off int) int {
	return strings.Count(string(src[:off]), "\n") + 1
}
