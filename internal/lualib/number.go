package lualib

import (
	"errors"
	"math"
	"math/bits"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// FormatNumber converts a number to a string as LuaJIT does: "%.14g" for
// finite values ("1e+15", "3.3333333333333", "-0"), and "inf", "-inf" and
// "nan" (never "-nan") otherwise.
func FormatNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	// Integers below 2^53 in magnitude with at most 14 digits print the
	// same under %.14g and %d; the fast path keeps hooks cheap.
	if f == math.Trunc(f) && f > -1e14 && f < 1e14 {
		if f == 0 && math.Signbit(f) {
			return "-0"
		}
		return strconv.FormatInt(int64(f), 10)
	}
	return formatG(f, 14, false, false)
}

// formatG is C's %.<prec>g (with alt, '#': trailing zeros kept). f is
// finite.
func formatG(f float64, prec int, alt, upper bool) string {
	if prec == 0 {
		prec = 1
	}
	if f != 0 {
		neg := f < 0
		a := halfUp(math.Abs(f), prec-1-decExp(math.Abs(f)))
		if f = a; neg {
			f = -a
		}
	}
	e := strconv.FormatFloat(f, 'e', prec-1, 64)
	// The exponent after rounding decides the style, as in C.
	i := strings.LastIndexByte(e, 'e')
	x, _ := strconv.Atoi(e[i+1:])
	var s string
	if x < -4 || x >= prec {
		mant := e[:i]
		if !alt {
			mant = trimZeros(mant)
		}
		s = mant + e[i:]
	} else {
		s = strconv.FormatFloat(f, 'f', prec-1-x, 64)
		if !alt {
			s = trimZeros(s)
		} else if !strings.Contains(s, ".") {
			s += "."
		}
	}
	if upper {
		s = strings.ToUpper(s)
	}
	return s
}

// trimZeros removes trailing zeros of a fraction, and the point if
// nothing is left after it.
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// isSpace is C's isspace in the C locale, as LuaJIT's lj_char_isspace.
func isSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// ParseNumber converts a string to a number as LuaJIT's tonumber (and its
// string-to-number coercions) do: surrounding whitespace, a sign, decimal
// with fraction and exponent, hexadecimal with optional fraction and
// binary exponent ("0x1p4"), binary "0b101", and "inf"/"nan" in any case.
func ParseNumber(s string) (float64, bool) {
	s = trimSpace(s)
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var f float64
	var ok bool
	switch {
	case len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
		f, ok = parseHex(s[2:])
	case len(s) >= 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'):
		f, ok = parseBin(s[2:])
	case s[0] >= '0' && s[0] <= '9' || s[0] == '.':
		f, ok = parseDec(s)
	case strings.EqualFold(s, "inf") || strings.EqualFold(s, "infinity"):
		f, ok = math.Inf(1), true
	case strings.EqualFold(s, "nan"):
		f, ok = math.NaN(), true
	}
	if !ok {
		return 0, false
	}
	if neg {
		f = -f
	}
	return f, true
}

// parseDec validates Lua's decimal syntax (strconv would also take "1_0",
// "Inf", hex) before converting with correct rounding.
func parseDec(s string) (float64, bool) {
	i, digits := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Out of range: ParseFloat returns ±Inf or 0 with ErrRange, which
		// is what C's strtod gives too.
		if errors.Is(err, strconv.ErrRange) {
			return f, true
		}
		return 0, false
	}
	return f, true
}

func parseHex(s string) (float64, bool) {
	i, digits := 0, 0
	for i < len(s) && isHex(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isHex(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	mant := s[:i]
	exp := "p0"
	if i < len(s) && (s[i] == 'p' || s[i] == 'P') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k == j {
			return 0, false
		}
		exp = s[i:k]
		i = k
	}
	if i != len(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat("0x"+mant+exp, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return f, true
		}
		return 0, false
	}
	return f, true
}

func parseBin(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	var f float64
	for i := 0; i < len(s); i++ {
		if s[i] != '0' && s[i] != '1' {
			return 0, false
		}
		f = f*2 + float64(s[i]-'0')
	}
	return f, true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// ToString is Lua's tostring with LuaJIT's number formatting: __tostring
// is honoured, numbers print as FormatNumber.
func ToString(ls *lua.LState, v lua.LValue) string {
	if mm := ls.GetMetaField(v, "__tostring"); mm != lua.LNil {
		ls.Push(mm)
		ls.Push(v)
		ls.Call(1, 1)
		r := ls.Get(-1)
		ls.Pop(1)
		// LuaJIT takes whatever __tostring returns and converts it
		// raw: a table result prints as "table: 0x...".
		return rawToString(r)
	}
	return rawToString(v)
}

func rawToString(v lua.LValue) string {
	switch v := v.(type) {
	case lua.LNumber:
		return FormatNumber(float64(v))
	case lua.LString:
		return string(v)
	}
	return v.String()
}

func (lb *lib) tostring(ls *lua.LState) int {
	v := checkAny(ls, 1)
	ls.Push(lua.LString(ToString(ls, v)))
	return 1
}

func (lb *lib) tonumber(ls *lua.LState) int {
	base := 10
	if ls.Get(2) != lua.LNil {
		base = checkInt(ls, 2)
	}
	if base == 10 {
		switch v := checkAny(ls, 1).(type) {
		case lua.LNumber:
			ls.Push(v)
			return 1
		case lua.LString:
			if f, ok := ParseNumber(string(v)); ok {
				ls.Push(lua.LNumber(f))
				return 1
			}
		}
		ls.Push(lua.LNil)
		return 1
	}
	s := checkString(ls, 1)
	if base < 2 || base > 36 {
		argError(ls, 2, "base out of range")
	}
	if f, ok := parseBase(s, base); ok {
		ls.Push(lua.LNumber(f))
	} else {
		ls.Push(lua.LNil)
	}
	return 1
}

// parseBase is LuaJIT's tonumber(s, base): whitespace, a sign, then an
// alphanumeric start parsed as C's strtoul (a "0x" prefix in base 16,
// saturation at 2^64-1), then only whitespace; the sign negates the
// converted double.
func parseBase(s string, base int) (float64, bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if i >= len(s) || digitValue(s[i]) > 35 {
		return 0, false
	}
	if base == 16 && i+2 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && digitValue(s[i+2]) < 16 {
		i += 2
	}
	var u uint64
	overflow := false
	start := i
	for i < len(s) {
		d := digitValue(s[i])
		if d >= base {
			break
		}
		hi, lo := mulAdd(u, uint64(base), uint64(d))
		if hi != 0 {
			overflow = true
		}
		u = lo
		i++
	}
	if i == start {
		return 0, false
	}
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i != len(s) {
		return 0, false
	}
	if overflow {
		u = math.MaxUint64
	}
	f := float64(u)
	if neg {
		f = -f
	}
	return f, true
}

// mulAdd is u*b+d with the high word telling overflow.
func mulAdd(u, b, d uint64) (hi, lo uint64) {
	hi, lo = bits.Mul64(u, b)
	lo, c := bits.Add64(lo, d, 0)
	return hi + c, lo
}

func digitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

// LuaJIT 2.1 formats floating-point numbers with its own code, which
// rounds an exact tie away from zero ("%.0f" of 0.5 is "1", "%.0e" of 2.5
// is "3e+00") where Go's strconv rounds it to even. halfUp returns the
// value to hand to strconv so that it rounds as LuaJIT: the next float up
// when a (positive, finite) lies exactly halfway at d digits after the
// decimal point, a itself otherwise.
func halfUp(a float64, d int) float64 {
	if a == 0 || math.IsInf(a, 0) || math.IsNaN(a) {
		return a
	}
	if isTie(a, d) {
		return math.Nextafter(a, math.Inf(1))
	}
	return a
}

// isTie reports whether a*10^d has a fractional part of exactly one half.
// With a = m*2^e (m odd), a*10^d = m*5^d*2^(e+d): for d >= 0 that is odd/2
// exactly when e+d == -1; for d < 0, 5^-d must also divide m.
func isTie(a float64, d int) bool {
	bitsA := math.Float64bits(a)
	exp := int(bitsA>>52) & 0x7ff
	mant := bitsA & (1<<52 - 1)
	if exp == 0 {
		exp = 1
	} else {
		mant |= 1 << 52
	}
	if mant == 0 {
		return false
	}
	e := exp - 1075
	tz := bits.TrailingZeros64(mant)
	m := mant >> uint(tz)
	e += tz
	if e+d != -1 {
		return false
	}
	if d >= 0 {
		return true
	}
	k := -d
	if k > 22 {
		return false
	}
	p := uint64(1)
	for range k {
		p *= 5
	}
	return m%p == 0
}

// decExp is floor(log10(a)) for finite a > 0.
func decExp(a float64) int {
	x := int(math.Floor(math.Log10(a)))
	// Log10 may be off by one next to powers of ten.
	if a < math.Pow10(x) {
		x--
	} else if a >= math.Pow10(x+1) {
		x++
	}
	return x
}
