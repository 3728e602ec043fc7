package lualib

import (
	"math"
	"math/bits"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// tobit is LuaJIT's number-to-bit conversion: add 2^52+2^51 and keep the
// low 32 bits, which rounds to nearest even and wraps modulo 2^32.
func tobit(f float64) int32 {
	return int32(uint32(math.Float64bits(f + 6755399441055744.0)))
}

func checkBit(ls *lua.LState, n int) int32 { return tobit(checkNumber(ls, n)) }

func bitFold(op func(a, b int32) int32) lua.LGFunction {
	return func(ls *lua.LState) int {
		x := checkBit(ls, 1)
		for i := 2; i <= ls.GetTop(); i++ {
			x = op(x, checkBit(ls, i))
		}
		ls.Push(lua.LNumber(x))
		return 1
	}
}

func bitShift(op func(x uint32, n uint) uint32) lua.LGFunction {
	return func(ls *lua.LState) int {
		x := checkBit(ls, 1)
		n := uint(checkBit(ls, 2) & 31)
		ls.Push(lua.LNumber(int32(op(uint32(x), n))))
		return 1
	}
}

func bitFuncs() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"tobit": func(ls *lua.LState) int { ls.Push(lua.LNumber(checkBit(ls, 1))); return 1 },
		"bnot":  func(ls *lua.LState) int { ls.Push(lua.LNumber(^checkBit(ls, 1))); return 1 },
		"bswap": func(ls *lua.LState) int {
			ls.Push(lua.LNumber(int32(bits.ReverseBytes32(uint32(checkBit(ls, 1))))))
			return 1
		},
		"band":    bitFold(func(a, b int32) int32 { return a & b }),
		"bor":     bitFold(func(a, b int32) int32 { return a | b }),
		"bxor":    bitFold(func(a, b int32) int32 { return a ^ b }),
		"lshift":  bitShift(func(x uint32, n uint) uint32 { return x << n }),
		"rshift":  bitShift(func(x uint32, n uint) uint32 { return x >> n }),
		"arshift": bitShift(func(x uint32, n uint) uint32 { return uint32(int32(x) >> n) }),
		"rol":     bitShift(func(x uint32, n uint) uint32 { return bits.RotateLeft32(x, int(n)) }),
		"ror":     bitShift(func(x uint32, n uint) uint32 { return bits.RotateLeft32(x, -int(n)) }),
		"tohex":   bitTohex,
	}
}

// bitTohex is bit.tohex(x [, n]) as LuaJIT 2.1 computes it: n digits
// (upper case for negative n), the value masked to 4n bits when n < 16,
// the digit count taken modulo 256.
func bitTohex(ls *lua.LState) int {
	b := uint64(uint32(checkBit(ls, 1)))
	n := int32(8)
	if ls.GetTop() >= 2 {
		n = checkBit(ls, 2)
	}
	upper := false
	if n < 0 {
		n = -n
		upper = true
	}
	prec := int((n+1)&255) - 1
	if n < 16 {
		b &= (uint64(1) << (uint32(4*n) & 63)) - 1
	}
	digits := ""
	if b != 0 || prec != 0 {
		digits = strconv.FormatUint(b, 16)
	}
	if b == 0 && prec != 0 {
		digits = "0"
	}
	if len(digits) < prec {
		digits = strings.Repeat("0", prec-len(digits)) + digits
	}
	if upper {
		digits = strings.ToUpper(digits)
	}
	ls.Push(lua.LString(digits))
	return 1
}
