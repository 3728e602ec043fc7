package lualib

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// fmtSpec is one parsed conversion of string.format, as LuaJIT's
// lj_strfmt_parse reads it: any number of flags, at most two digits of
// width and of precision.
type fmtSpec struct {
	left, plus, zero, space, alt bool
	width                        int
	prec                         int // -1: none
	conv                         byte
}

// parseSpec parses the conversion starting at f[i] == '%' and returns it
// with the index after it, or the text to quote in the error message.
func parseSpec(f string, i int) (fmtSpec, int, string) {
	sp := fmtSpec{prec: -1}
	j := i + 1
flags:
	for ; j < len(f); j++ {
		switch f[j] {
		case '-':
			sp.left = true
		case '+':
			sp.plus = true
		case '0':
			sp.zero = true
		case ' ':
			sp.space = true
		case '#':
			sp.alt = true
		default:
			break flags
		}
	}
	digit := func() (int, bool) {
		if j < len(f) && f[j] >= '0' && f[j] <= '9' {
			j++
			return int(f[j-1] - '0'), true
		}
		return 0, false
	}
	if d, ok := digit(); ok {
		sp.width = d
		if d2, ok := digit(); ok {
			sp.width = d*10 + d2
		}
	}
	if j < len(f) && f[j] == '.' {
		j++
		sp.prec = 0
		if d, ok := digit(); ok {
			sp.prec = d
			if d2, ok := digit(); ok {
				sp.prec = d*10 + d2
			}
		}
	}
	if j < len(f) && strings.IndexByte("aAcdeEfFgGioqsuxXp", f[j]) >= 0 {
		sp.conv = f[j]
		return sp, j + 1, ""
	}
	if j < len(f) && f[j] >= 32 {
		j++
	}
	return sp, 0, f[i:j]
}

func (lb *lib) strFormat(ls *lua.LState) int {
	f := checkString(ls, 1)
	out := &buffer{ls: ls, max: lb.lim.MaxString}
	arg := 1
	for i := 0; i < len(f); {
		c := f[i]
		if c != '%' {
			j := strings.IndexByte(f[i:], '%')
			if j < 0 {
				j = len(f) - i
			}
			out.add(f[i : i+j])
			i += j
			continue
		}
		if i+1 < len(f) && f[i+1] == '%' {
			out.addByte('%')
			i += 2
			continue
		}
		sp, next, bad := parseSpec(f, i)
		if bad != "" {
			raise(ls, "invalid option '"+bad+"' to 'format'")
		}
		i = next
		arg++
		if arg > ls.GetTop() {
			argError(ls, arg, "value expected")
		}
		switch sp.conv {
		case 'd', 'i':
			n := checkNumber(ls, arg)
			k := toInt64(n)
			neg := k < 0
			u := uint64(k)
			if neg {
				u = -u
			}
			out.add(sp.fmtInt(u, neg, true))
		case 'u', 'x', 'X', 'o':
			n := checkNumber(ls, arg)
			var k int64
			if n >= 9223372036854775808.0 {
				k = toInt64(n - 18446744073709551616.0)
			} else {
				k = toInt64(n)
			}
			out.add(sp.fmtInt(uint64(k), false, false))
		case 'c':
			out.add(sp.pad(string([]byte{byte(checkInt(ls, arg))}), false))
		case 'e', 'E', 'f', 'F', 'g', 'G', 'a', 'A':
			out.add(sp.fmtFloat(checkNumber(ls, arg)))
		case 's':
			s := ToString(ls, checkAny(ls, arg))
			if sp.prec >= 0 && len(s) > sp.prec {
				s = s[:sp.prec]
			}
			out.add(sp.pad(s, false))
		case 'q':
			quote(out, ToString(ls, ls.Get(arg)))
		case 'p':
			v := checkAny(ls, arg)
			s := "NULL"
			switch v.(type) {
			case *lua.LNilType, lua.LBool, lua.LNumber:
			default:
				s = fmt.Sprintf("%p", v)
			}
			out.add(sp.pad(s, false))
		}
	}
	ls.Push(lua.LString(out.String()))
	return 1
}

// pad applies the width: spaces on the left, or on the right with '-'.
func (sp *fmtSpec) pad(s string, _ bool) string {
	if len(s) >= sp.width {
		return s
	}
	fill := strings.Repeat(" ", sp.width-len(s))
	if sp.left {
		return s + fill
	}
	return fill + s
}

// fmtInt formats an integer conversion as LuaJIT's lj_strfmt_putfxint.
func (sp *fmtSpec) fmtInt(k uint64, neg, signed bool) string {
	prefix := ""
	if signed {
		switch {
		case neg:
			prefix = "-"
		case sp.plus:
			prefix = "+"
		case sp.space:
			prefix = " "
		}
	}
	zero := sp.zero && sp.prec < 0
	var digits string
	switch {
	case k == 0:
		if sp.prec != 0 || (sp.conv == 'o' && sp.alt) {
			digits = "0"
		}
	case sp.conv == 'x':
		digits = strconv.FormatUint(k, 16)
		if sp.alt {
			prefix = "0x"
		}
	case sp.conv == 'X':
		digits = strings.ToUpper(strconv.FormatUint(k, 16))
		if sp.alt {
			prefix = "0X"
		}
	case sp.conv == 'o':
		digits = strconv.FormatUint(k, 8)
		if sp.alt {
			digits = "0" + digits
		}
	default:
		digits = strconv.FormatUint(k, 10)
	}
	if len(digits) < sp.prec {
		digits = strings.Repeat("0", sp.prec-len(digits)) + digits
	}
	body := len(prefix) + len(digits)
	if body >= sp.width {
		return prefix + digits
	}
	fill := sp.width - body
	switch {
	case sp.left:
		return prefix + digits + strings.Repeat(" ", fill)
	case zero:
		return prefix + strings.Repeat("0", fill) + digits
	default:
		return strings.Repeat(" ", fill) + prefix + digits
	}
}

// fmtFloat formats %e %f %g %a (and upper-case forms) as C's printf does,
// with LuaJIT's canonical "inf"/"nan" for non-finite values.
func (sp *fmtSpec) fmtFloat(f float64) string {
	upper := sp.conv == 'E' || sp.conv == 'F' || sp.conv == 'G' || sp.conv == 'A'
	sign := ""
	switch {
	case math.Signbit(f) && !math.IsNaN(f):
		sign = "-"
	case sp.plus && !math.IsNaN(f):
		sign = "+"
	case sp.space:
		sign = " "
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		s := "inf"
		if math.IsNaN(f) {
			s = "nan"
		}
		if upper {
			s = strings.ToUpper(s)
		}
		return sp.pad(sign+s, false)
	}
	a := math.Abs(f)
	prec := sp.prec
	var body, head string
	switch sp.conv {
	case 'f', 'F':
		if prec < 0 {
			prec = 6
		}
		body = strconv.FormatFloat(halfUp(a, prec), 'f', prec, 64)
		if sp.alt && prec == 0 {
			body += "."
		}
	case 'e', 'E':
		if prec < 0 {
			prec = 6
		}
		if a != 0 {
			a = halfUp(a, prec-decExp(a))
		}
		body = strconv.FormatFloat(a, 'e', prec, 64)
		if sp.alt && prec == 0 {
			body = strings.Replace(body, "e", ".e", 1)
		}
	case 'g', 'G':
		if prec < 0 {
			prec = 6
		}
		body = formatG(a, prec, sp.alt, false)
	case 'a', 'A':
		head, body = "0x", hexFloat(a, prec)
	}
	if upper {
		head, body = strings.ToUpper(head), strings.ToUpper(body)
	}
	n := len(sign) + len(head) + len(body)
	if n >= sp.width {
		return sign + head + body
	}
	fill := sp.width - n
	switch {
	case sp.left:
		return sign + head + body + strings.Repeat(" ", fill)
	case sp.zero:
		return sign + head + strings.Repeat("0", fill) + body
	default:
		return strings.Repeat(" ", fill) + sign + head + body
	}
}

// quote writes s as %q does in LuaJIT's lj_strfmt_putquoted, into the
// bounded buffer. The result can be four times the input, so its size is
// computed and checked first.
func quote(out *buffer, s string) {
	n := len(s) + 2
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\' || c == '\n':
			n++
		case c < 32 || c == 127:
			n += 3
		}
	}
	out.reserve(n)
	out.addByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 32 && c != 127 && c != '"' && c != '\\' {
			continue
		}
		out.add(s[start:i])
		start = i + 1
		switch {
		case c == '"' || c == '\\' || c == '\n':
			out.addByte('\\')
			out.addByte(c)
		case i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			out.add(fmt.Sprintf("\\%03d", c))
		default:
			out.add("\\" + strconv.Itoa(int(c)))
		}
	}
	out.add(s[start:])
	out.addByte('"')
}

// hexFloat is the %a body after "0x" for a >= 0, as LuaJIT writes it: the
// leading digit is 1 (0 for zero and subnormals), the fraction rounded
// half up to prec digits without renormalising (3.7 at "%.0a" is
// "2p+1"), trailing zeros dropped when there is no precision.
func hexFloat(a float64, prec int) string {
	b := math.Float64bits(a)
	exp := int(b>>52) & 0x7ff
	frac := b & (1<<52 - 1)
	lead := uint64(1)
	e := exp - 1023
	if exp == 0 {
		if frac == 0 {
			lead, e = 0, 0
		} else {
			// Subnormals are normalised: 5e-324 is "1p-1074".
			e = -1022
			for frac&(1<<52) == 0 {
				frac <<= 1
				e--
			}
			frac &= 1<<52 - 1
		}
	}
	var digits string
	if prec >= 0 && prec < 13 {
		shift := uint(52 - 4*prec)
		rem := frac & (1<<shift - 1)
		frac >>= shift
		if rem >= 1<<(shift-1) {
			frac++
			if frac>>(uint(4*prec)) != 0 {
				lead++
				frac &= 1<<(uint(4*prec)) - 1
			}
		}
		if prec > 0 {
			digits = fmt.Sprintf("%0*x", prec, frac)
		}
	} else {
		digits = fmt.Sprintf("%013x", frac)
		if prec < 0 {
			digits = strings.TrimRight(digits, "0")
		} else {
			digits += strings.Repeat("0", prec-13)
		}
	}
	s := strconv.FormatUint(lead, 16)
	if digits != "" {
		s += "." + digits
	}
	return s + "p" + fmt.Sprintf("%+d", e)
}
