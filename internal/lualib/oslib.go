package lualib

import (
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// os.date and os.difftime as LuaJIT (C's strftime in the C locale, struct
// tm fields for "*t"). gopher-lua's os.date maps a subset of specifiers to
// Go layouts (no %j %U %W %c %x, no yday in "*t"). os.time and os.clock
// stay gopher-lua's.

func (lb *lib) osFuncs() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{"date": lb.osDate, "difftime": osDifftime}
}

func osDifftime(ls *lua.LState) int {
	t2 := checkNumber(ls, 1)
	t1 := optNumberArg(ls, 2)
	ls.Push(lua.LNumber(t2 - t1))
	return 1
}

func optNumberArg(ls *lua.LState, n int) float64 {
	if ls.Get(n) == lua.LNil {
		return 0
	}
	return checkNumber(ls, n)
}

func (lb *lib) osDate(ls *lua.LState) int {
	f := optString(ls, 1, "%c")
	var t time.Time
	if ls.Get(2) == lua.LNil {
		t = time.Now()
	} else {
		t = time.Unix(int64(checkNumber(ls, 2)), 0)
	}
	if strings.HasPrefix(f, "!") {
		f = f[1:]
		t = t.UTC()
	} else {
		t = t.Local()
	}
	if strings.HasPrefix(f, "*t") {
		tb := ls.CreateTable(0, 9)
		for k, v := range map[string]int{
			"year": t.Year(), "month": int(t.Month()), "day": t.Day(), "hour": t.Hour(),
			"min": t.Minute(), "sec": t.Second(), "wday": int(t.Weekday()) + 1, "yday": t.YearDay(),
		} {
			tb.RawSetString(k, lua.LNumber(v))
		}
		tb.RawSetString("isdst", lua.LBool(t.IsDST()))
		ls.Push(tb)
		return 1
	}
	out := &buffer{ls: ls, max: lb.lim.MaxString}
	strftime(out, f, t)
	ls.Push(lua.LString(out.String()))
	return 1
}

var (
	shortDays   = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	longDays    = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	shortMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	longMonths  = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

func pad2(n int) string {
	if n < 10 && n >= 0 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// strftime writes f with t as C's strftime in the C locale; an unknown
// specifier is written as it is, as glibc does.
func strftime(out *buffer, f string, t time.Time) {
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			out.addByte(f[i])
			continue
		}
		i++
		wd := int(t.Weekday())
		yd := t.YearDay() - 1
		switch c := f[i]; c {
		case 'a':
			out.add(shortDays[wd])
		case 'A':
			out.add(longDays[wd])
		case 'b', 'h':
			out.add(shortMonths[t.Month()-1])
		case 'B':
			out.add(longMonths[t.Month()-1])
		case 'c':
			strftime(out, "%a %b %e %H:%M:%S %Y", t)
		case 'C':
			out.add(pad2(t.Year() / 100))
		case 'd':
			out.add(pad2(t.Day()))
		case 'D', 'x':
			strftime(out, "%m/%d/%y", t)
		case 'e':
			if t.Day() < 10 {
				out.addByte(' ')
			}
			out.add(strconv.Itoa(t.Day()))
		case 'F':
			strftime(out, "%Y-%m-%d", t)
		case 'g':
			y, _ := t.ISOWeek()
			out.add(pad2(y % 100))
		case 'G':
			y, _ := t.ISOWeek()
			out.add(strconv.Itoa(y))
		case 'H':
			out.add(pad2(t.Hour()))
		case 'I':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			out.add(pad2(h))
		case 'j':
			s := strconv.Itoa(yd + 1)
			out.add(strings.Repeat("0", 3-len(s)) + s)
		case 'm':
			out.add(pad2(int(t.Month())))
		case 'M':
			out.add(pad2(t.Minute()))
		case 'n':
			out.addByte('\n')
		case 'p':
			if t.Hour() < 12 {
				out.add("AM")
			} else {
				out.add("PM")
			}
		case 'r':
			strftime(out, "%I:%M:%S %p", t)
		case 'R':
			strftime(out, "%H:%M", t)
		case 's':
			out.add(strconv.FormatInt(t.Unix(), 10))
		case 'S':
			out.add(pad2(t.Second()))
		case 't':
			out.addByte('\t')
		case 'T', 'X':
			strftime(out, "%H:%M:%S", t)
		case 'u':
			if wd == 0 {
				wd = 7
			}
			out.add(strconv.Itoa(wd))
		case 'U':
			out.add(pad2((yd + 7 - wd) / 7))
		case 'V':
			_, w := t.ISOWeek()
			out.add(pad2(w))
		case 'w':
			out.add(strconv.Itoa(wd))
		case 'W':
			out.add(pad2((yd + 7 - (wd+6)%7) / 7))
		case 'y':
			out.add(pad2(t.Year() % 100))
		case 'Y':
			out.add(strconv.Itoa(t.Year()))
		case 'z':
			_, off := t.Zone()
			sign := byte('+')
			if off < 0 {
				sign, off = '-', -off
			}
			out.addByte(sign)
			out.add(pad2(off / 3600))
			out.add(pad2(off % 3600 / 60))
		case 'Z':
			name, _ := t.Zone()
			if name == "UTC" {
				name = "GMT"
			}
			out.add(name)
		case '%':
			out.addByte('%')
		default:
			out.addByte('%')
			out.addByte(c)
		}
	}
}
