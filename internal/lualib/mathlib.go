package lualib

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

func math1(f func(float64) float64) func(*lua.LState) int {
	return func(ls *lua.LState) int {
		ls.Push(lua.LNumber(f(checkNumber(ls, 1))))
		return 1
	}
}

func (lb *lib) mathFuncs() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"abs": math1(math.Abs), "ceil": math1(math.Ceil), "floor": math1(math.Floor),
		"sqrt": math1(math.Sqrt), "sin": math1(math.Sin), "cos": math1(math.Cos),
		"tan": math1(math.Tan), "asin": math1(math.Asin), "acos": math1(math.Acos),
		"atan": math1(math.Atan), "exp": math1(math.Exp), "log10": math1(math.Log10),
		"sinh": math1(math.Sinh), "cosh": math1(math.Cosh), "tanh": math1(math.Tanh),
		"deg": mathScale("deg", 180.0/math.Pi),
		"rad": mathScale("rad", math.Pi/180.0),
		"log": mathLog, "atan2": mathAtan2, "pow": mathPow, "fmod": mathFmod,
		"modf": mathModf, "frexp": mathFrexp, "ldexp": mathLdexp,
		"min": mathMin, "max": mathMax,
	}
}

// mathLog is math.log(x [, base]); with a base LuaJIT computes
// log2(x) * (1/log2(base)), which this repeats for the same rounding.
func mathLog(ls *lua.LState) int {
	x := checkNumber(ls, 1)
	if ls.GetTop() >= 2 {
		y := checkNumber(ls, 2)
		ls.Push(lua.LNumber(math.Log2(x) * (1.0 / math.Log2(y))))
		return 1
	}
	ls.Push(lua.LNumber(math.Log(x)))
	return 1
}

func mathAtan2(ls *lua.LState) int {
	ls.Push(lua.LNumber(math.Atan2(checkNumber(ls, 1), checkNumber(ls, 2))))
	return 1
}

func mathPow(ls *lua.LState) int {
	ls.Push(lua.LNumber(math.Pow(checkNumber(ls, 1), checkNumber(ls, 2))))
	return 1
}

func mathFmod(ls *lua.LState) int {
	ls.Push(lua.LNumber(math.Mod(checkNumber(ls, 1), checkNumber(ls, 2))))
	return 1
}

func mathModf(ls *lua.LState) int {
	x := checkNumber(ls, 1)
	ip, frac := math.Modf(x)
	if math.IsInf(x, 0) {
		frac = math.Copysign(0, x)
	}
	ls.Push(lua.LNumber(ip))
	ls.Push(lua.LNumber(frac))
	return 2
}

func mathFrexp(ls *lua.LState) int {
	m, e := math.Frexp(checkNumber(ls, 1))
	ls.Push(lua.LNumber(m))
	ls.Push(lua.LNumber(e))
	return 2
}

// mathLdexp is x * 2^trunc(e) with e a double, as LuaJIT computes it (an
// exponent of 2^31 gives inf, NaN gives NaN; C's int conversion would not).
func mathLdexp(ls *lua.LState) int {
	x := checkNumber(ls, 1)
	e := math.Trunc(checkNumber(ls, 2))
	if math.IsNaN(e) {
		ls.Push(lua.LNumber(math.NaN()))
		return 1
	}
	// Past ±2200 every finite x has overflowed or underflowed.
	e = math.Max(-2200, math.Min(2200, e))
	ls.Push(lua.LNumber(math.Ldexp(x, int(e))))
	return 1
}

func mathMin(ls *lua.LState) int {
	m := checkNumber(ls, 1)
	for i := 2; i <= ls.GetTop(); i++ {
		// As SSE's minsd: a NaN on either side yields the second operand.
		if v := checkNumber(ls, i); !(m < v) {
			m = v
		}
	}
	ls.Push(lua.LNumber(m))
	return 1
}

func mathMax(ls *lua.LState) int {
	m := checkNumber(ls, 1)
	for i := 2; i <= ls.GetTop(); i++ {
		if v := checkNumber(ls, i); !(m > v) {
			m = v
		}
	}
	ls.Push(lua.LNumber(m))
	return 1
}

// MathRandom is math.random with LuaJIT's argument handling on a caller's
// source of uniform numbers in [0, 1): no "interval is empty" check
// (math.random(0) is 1), extra arguments ignored.
func MathRandom(next func() float64) lua.LGFunction {
	return func(ls *lua.LState) int {
		d := next()
		switch {
		case ls.GetTop() == 0:
		case ls.GetTop() == 1:
			d = math.Floor(d*checkNumber(ls, 1)) + 1
		default:
			r1 := checkNumber(ls, 1)
			r2 := checkNumber(ls, 2)
			d = math.Floor(d*(r2-r1+1)) + r1
		}
		ls.Push(lua.LNumber(d))
		return 1
	}
}

// mathScale is math.deg/math.rad, which LuaJIT implements as Lua
// builtins: a bad argument fails as arithmetic inside "[builtin:deg]".
func mathScale(name string, k float64) lua.LGFunction {
	return func(ls *lua.LState) int {
		var x float64
		switch v := ls.Get(1).(type) {
		case lua.LNumber:
			x = float64(v)
		case lua.LString:
			f, ok := ParseNumber(string(v))
			if !ok {
				ls.Error(lua.LString("[builtin:"+name+"]:0: attempt to perform arithmetic on a string value"), 0)
			}
			x = f
		default:
			ls.Error(lua.LString("[builtin:"+name+"]:0: attempt to perform arithmetic on a "+v.Type().String()+" value"), 0)
		}
		ls.Push(lua.LNumber(x * k))
		return 1
	}
}
