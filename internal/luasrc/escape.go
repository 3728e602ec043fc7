package luasrc

import "strings"

// DecodeString decodes the body of a short string literal (without
// its quotes) as LuaJIT 2.1 does. gopher-lua's lexer follows Lua 5.1, where
// "\x65" is the two characters "x65"; LuaJIT reads it as "e", so a script
// can hide os["\x65xecute"] from a Lua 5.1 reader. We decode it ourselves.
//
// Escapes: \a \b \f \n \r \t \v \\ \" \' \<newline>, \xXX (two hex digits),
// \ddd (one to three decimal digits, at most 255), \z (skips the following
// whitespace, newlines included) and \u{XXX} (UTF-8, at most 0x7FFFFFFF as
// LuaJIT allows). LuaJIT rejects any other escape; the error offset is
// relative to body.
func DecodeString(body []byte) (string, *LexError) {
	if !hasBackslash(body) {
		return string(body), nil
	}
	var b strings.Builder
	b.Grow(len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		start := i
		i++
		if i >= len(body) {
			return "", &LexError{Offset: start, Msg: "unfinished string"}
		}
		c = body[i]
		switch c {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '\\', '"', '\'':
			b.WriteByte(c)
		case '\n', '\r':
			b.WriteByte('\n')
			// \r\n and \n\r count as one line break.
			if i+1 < len(body) && (body[i+1] == '\n' || body[i+1] == '\r') && body[i+1] != c {
				i++
			}
		case 'x':
			if i+2 >= len(body) || !isHex(body[i+1]) || !isHex(body[i+2]) {
				return "", &LexError{Offset: start, Msg: "invalid escape sequence \\x (two hex digits expected)"}
			}
			b.WriteByte(hexVal(body[i+1])<<4 | hexVal(body[i+2]))
			i += 2
		case 'z':
			for i+1 < len(body) && isLuaSpace(body[i+1]) {
				i++
			}
		case 'u':
			if i+1 >= len(body) || body[i+1] != '{' {
				return "", &LexError{Offset: start, Msg: "invalid escape sequence \\u (\\u{XXX} expected)"}
			}
			j := i + 2
			var r uint64
			digits := 0
			for j < len(body) && isHex(body[j]) {
				r = r<<4 | uint64(hexVal(body[j]))
				if r > 0x7FFFFFFF {
					return "", &LexError{Offset: start, Msg: "invalid escape sequence \\u (value too large)"}
				}
				digits++
				j++
			}
			if digits == 0 || j >= len(body) || body[j] != '}' {
				return "", &LexError{Offset: start, Msg: "invalid escape sequence \\u (\\u{XXX} expected)"}
			}
			writeExtendedUTF8(&b, uint32(r))
			i = j
		default:
			if !isDigit(c) {
				return "", &LexError{Offset: start, Msg: "invalid escape sequence \\" + string(rune(c))}
			}
			v := 0
			n := 0
			for n < 3 && i < len(body) && isDigit(body[i]) {
				v = v*10 + int(body[i]-'0')
				i++
				n++
			}
			i--
			if v > 255 {
				return "", &LexError{Offset: start, Msg: "invalid escape sequence (decimal escape above 255)"}
			}
			b.WriteByte(byte(v))
		}
	}
	return b.String(), nil
}

func hasBackslash(b []byte) bool {
	for _, c := range b {
		if c == '\\' {
			return true
		}
	}
	return false
}

func isLuaSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// writeExtendedUTF8 encodes r as LuaJIT does: standard UTF-8 up to 0x10FFFF
// (surrogates included, which Go's encoder would replace) and the old
// 5- and 6-byte forms above.
func writeExtendedUTF8(b *strings.Builder, r uint32) {
	switch {
	case r < 0x80:
		b.WriteByte(byte(r))
	case r < 0x800:
		b.WriteByte(byte(0xC0 | r>>6))
		b.WriteByte(byte(0x80 | r&0x3F))
	case r < 0x10000:
		b.WriteByte(byte(0xE0 | r>>12))
		b.WriteByte(byte(0x80 | (r>>6)&0x3F))
		b.WriteByte(byte(0x80 | r&0x3F))
	case r < 0x200000:
		b.WriteByte(byte(0xF0 | r>>18))
		b.WriteByte(byte(0x80 | (r>>12)&0x3F))
		b.WriteByte(byte(0x80 | (r>>6)&0x3F))
		b.WriteByte(byte(0x80 | r&0x3F))
	case r < 0x4000000:
		b.WriteByte(byte(0xF8 | r>>24))
		b.WriteByte(byte(0x80 | (r>>18)&0x3F))
		b.WriteByte(byte(0x80 | (r>>12)&0x3F))
		b.WriteByte(byte(0x80 | (r>>6)&0x3F))
		b.WriteByte(byte(0x80 | r&0x3F))
	default:
		b.WriteByte(byte(0xFC | r>>30))
		b.WriteByte(byte(0x80 | (r>>24)&0x3F))
		b.WriteByte(byte(0x80 | (r>>18)&0x3F))
		b.WriteByte(byte(0x80 | (r>>12)&0x3F))
		b.WriteByte(byte(0x80 | (r>>6)&0x3F))
		b.WriteByte(byte(0x80 | r&0x3F))
	}
}
