package lualib

import (
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

func (lb *lib) tableFuncs() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"concat": lb.tabConcat, "insert": lb.tabInsert, "remove": lb.tabRemove,
		"sort": lb.tabSort, "getn": lb.tabGetn, "maxn": lb.tabMaxn,
		"foreach": lb.tabForeach, "foreachi": lb.tabForeachi, "move": lb.tabMove,
	}
}

func (lb *lib) tabGetn(ls *lua.LState) int {
	padNil(ls)
	ls.Push(lua.LNumber(checkTable(ls, 1).Len()))
	return 1
}

func (lb *lib) tabMaxn(ls *lua.LState) int {
	t := checkTable(ls, 1)
	b := lb.newBudget(ls, "table.maxn")
	m := 0.0
	for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
		b.step(1)
		if n, ok := k.(lua.LNumber); ok && float64(n) > m {
			m = float64(n)
		}
	}
	ls.Push(lua.LNumber(m))
	return 1
}

func (lb *lib) tabConcat(ls *lua.LState) int {
	t := checkTable(ls, 1)
	sep := optString(ls, 2, "")
	i := optInt(ls, 3, 1)
	var e int
	if ls.GetTop() >= 4 {
		e = checkInt(ls, 4)
	} else {
		e = t.Len()
	}
	if i > e {
		ls.Push(lua.LString(""))
		return 1
	}
	// First pass: types and the total size, so that nothing is allocated
	// for a result over the limit.
	b := lb.newBudget(ls, "table.concat")
	total := int64(0)
	for k := i; ; k++ {
		b.step(1)
		switch v := geti(t, k).(type) {
		case lua.LString:
			total += int64(len(v))
		case lua.LNumber:
			total += int64(len(FormatNumber(float64(v))))
		default:
			raise(ls, "invalid value ("+v.Type().String()+") at index "+strconv.Itoa(k)+" in table for 'concat'")
		}
		if k == e {
			break
		}
		total += int64(len(sep))
		lb.checkSize(ls, total)
	}
	lb.checkSize(ls, total)
	out := &buffer{ls: ls, max: lb.lim.MaxString}
	out.reserve(int(total))
	for k := i; ; k++ {
		switch v := geti(t, k).(type) {
		case lua.LString:
			out.add(string(v))
		case lua.LNumber:
			out.add(FormatNumber(float64(v)))
		}
		if k == e {
			break
		}
		out.add(sep)
	}
	ls.Push(lua.LString(out.String()))
	return 1
}

func (lb *lib) tabInsert(ls *lua.LState) int {
	t := checkTable(ls, 1)
	i := t.Len() + 1
	switch ls.GetTop() {
	case 2:
	case 3:
		n := checkInt(ls, 2)
		b := lb.newBudget(ls, "table.insert")
		for ; i > n; i-- {
			b.step(1)
			// Moving nil onto nil changes nothing; skipping it keeps an
			// insert far below the array part from filling the hash.
			if v := geti(t, i-1); v != lua.LNil || geti(t, i) != lua.LNil {
				lb.seti(ls, t, i, v)
			}
		}
		i = n
	default:
		raise(ls, "wrong number of arguments to 'insert'")
	}
	lb.seti(ls, t, i, ls.Get(ls.GetTop()))
	return 0
}

// tabRemove is table.remove as LuaJIT 2.1 behaves: the position is
// range-checked as a number (remove(t, 1.5) on a one-element table does
// nothing), then truncated.
func (lb *lib) tabRemove(ls *lua.LState) int {
	padNil(ls)
	t := checkTable(ls, 1)
	e := t.Len()
	posf := float64(e)
	if ls.Get(2) != lua.LNil {
		posf = checkNumber(ls, 2)
	}
	if !(posf >= 1 && posf <= float64(e)) {
		return 0
	}
	pos := int(toInt32(posf))
	v := geti(t, pos)
	b := lb.newBudget(ls, "table.remove")
	for ; pos < e; pos++ {
		b.step(1)
		lb.seti(ls, t, pos, geti(t, pos+1))
	}
	lb.seti(ls, t, e, lua.LNil)
	ls.Push(v)
	return 1
}

func (lb *lib) tabForeachi(ls *lua.LState) int {
	padNil(ls)
	t := checkTable(ls, 1)
	f := checkFunction(ls, 2)
	n := t.Len()
	for i := 1; i <= n; i++ {
		ls.Push(f)
		ls.Push(lua.LNumber(i))
		ls.Push(geti(t, i))
		ls.Call(2, 1)
		if r := ls.Get(-1); r != lua.LNil {
			return 1
		}
		ls.Pop(1)
	}
	return 0
}

func (lb *lib) tabForeach(ls *lua.LState) int {
	padNil(ls)
	t := checkTable(ls, 1)
	f := checkFunction(ls, 2)
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		ls.Push(f)
		ls.Push(k)
		ls.Push(v)
		ls.Call(2, 1)
		if r := ls.Get(-1); r != lua.LNil {
			return 1
		}
		ls.Pop(1)
	}
	return 0
}

// tabMove is table.move(a1, f, e, t [, a2]) of Lua 5.3, which Debian's
// LuaJIT 2.1 provides; it indexes with metamethods, as LuaJIT's does.
func (lb *lib) tabMove(ls *lua.LState) int {
	padNil(ls)
	a1 := checkTable(ls, 1)
	f := checkInt(ls, 2)
	e := checkInt(ls, 3)
	t := checkInt(ls, 4)
	a2 := a1
	if ls.Get(5) != lua.LNil {
		a2 = checkTable(ls, 5)
	}
	if e >= f {
		b := lb.newBudget(ls, "table.move")
		lb.checkIndex(ls, a2, t)
		lb.checkIndex(ls, a2, t+(e-f))
		if t > e || t <= f || a1 != a2 {
			for i := 0; i <= e-f; i++ {
				b.step(1)
				ls.SetTable(a2, lua.LNumber(t+i), ls.GetTable(a1, lua.LNumber(f+i)))
			}
		} else {
			for i := e - f; i >= 0; i-- {
				b.step(1)
				ls.SetTable(a2, lua.LNumber(t+i), ls.GetTable(a1, lua.LNumber(f+i)))
			}
		}
	}
	ls.Push(a2)
	return 1
}

// maxCStack is LuaJIT's LUAI_MAXCSTACK: how many values a C function may
// push, which bounds unpack and string.byte.
const maxCStack = 8000

// unpack is the global unpack of Lua 5.1, bounded as LuaJIT's (and by
// Limits.MaxTable).
func (lb *lib) unpack(ls *lua.LState) int {
	t := checkTable(ls, 1)
	i := optInt(ls, 2, 1)
	var e int
	if ls.Get(3) == lua.LNil {
		e = t.Len()
	} else {
		e = checkInt(ls, 3)
	}
	if i > e {
		return 0
	}
	// LuaJIT's limit is its C stack of 8,000 slots (LUAI_MAXCSTACK),
	// arguments included.
	n := int64(e) - int64(i) + 1
	if n >= int64(lb.lim.MaxTable) || n+int64(ls.GetTop()) > maxCStack {
		raise(ls, "too many results to unpack")
	}
	for k := i; k <= e; k++ {
		ls.Push(geti(t, k))
	}
	return int(n)
}

// sorter is LuaJIT's table.sort algorithm (the quicksort of Lua 5.1:
// median of three, errors on inconsistent comparators at the same points),
// so that unstable orders and "invalid order function" errors match.
type sorter struct {
	ls  *lua.LState
	t   *lua.LTable
	cmp lua.LValue
	b   *budget
}

func (s *sorter) less(a, b lua.LValue) bool {
	s.b.step(1)
	if s.cmp == lua.LNil {
		return lessThan(s.ls, a, b)
	}
	s.ls.Push(s.cmp)
	s.ls.Push(a)
	s.ls.Push(b)
	s.ls.Call(2, 1)
	r := lua.LVAsBool(s.ls.Get(-1))
	s.ls.Pop(1)
	return r
}

func (s *sorter) get(i int) lua.LValue    { return geti(s.t, i) }
func (s *sorter) set(i int, v lua.LValue) { s.t.RawSetInt(i, v) } // 1 <= i <= #t
func (s *sorter) swap(i, j int)           { a, b := s.get(i), s.get(j); s.set(i, b); s.set(j, a) }
func (s *sorter) invalid()                { raise(s.ls, "invalid order function for sorting") }

func (s *sorter) sort(l, u int) {
	for l < u {
		if s.less(s.get(u), s.get(l)) {
			s.swap(l, u)
		}
		if u-l == 1 {
			return
		}
		i := (l + u) / 2
		if s.less(s.get(i), s.get(l)) {
			s.swap(i, l)
		} else if s.less(s.get(u), s.get(i)) {
			s.swap(i, u)
		}
		if u-l == 2 {
			return
		}
		p := s.get(i)
		s.swap(i, u-1)
		i, j := l, u-1
		for {
			for i++; s.less(s.get(i), p); i++ {
				if i >= u {
					s.invalid()
				}
			}
			for j--; s.less(p, s.get(j)); j-- {
				if j <= l {
					s.invalid()
				}
			}
			if j < i {
				break
			}
			s.swap(i, j)
		}
		s.swap(u-1, i)
		// Recurse into the smaller half, loop on the larger: depth stays
		// logarithmic.
		if i-l < u-i {
			s.sort(l, i-1)
			l = i + 1
		} else {
			s.sort(i+1, u)
			u = i - 1
		}
	}
}

func (lb *lib) tabSort(ls *lua.LState) int {
	t := checkTable(ls, 1)
	cmp := ls.Get(2)
	if cmp != lua.LNil {
		checkFunction(ls, 2)
	}
	s := &sorter{ls: ls, t: t, cmp: cmp, b: lb.newBudget(ls, "table.sort")}
	s.sort(1, t.Len())
	return 0
}

// lessThan is Lua's a < b as table.sort's default order; the error for
// incomparable values carries no position, as LuaJIT's from inside sort.
func lessThan(ls *lua.LState, a, b lua.LValue) bool {
	switch x := a.(type) {
	case lua.LNumber:
		if y, ok := b.(lua.LNumber); ok {
			return x < y
		}
	case lua.LString:
		if y, ok := b.(lua.LString); ok {
			return x < y
		}
	}
	if a.Type() == b.Type() && (ls.GetMetaField(a, "__lt") != lua.LNil) {
		return ls.LessThan(a, b)
	}
	if a.Type() == b.Type() {
		ls.Error(lua.LString("attempt to compare two "+a.Type().String()+" values"), 0)
	}
	ls.Error(lua.LString("attempt to compare "+a.Type().String()+" with "+b.Type().String()), 0)
	return false
}

// geti is t[k] without metamethods. gopher-lua keeps integer keys from 1
// to MaxArrayIndex in the array part and the others in the hash;
// LTable.RawGetInt looks at the array part only, so a key below 1 needs
// RawGet.
func geti(t *lua.LTable, k int) lua.LValue {
	if k >= 1 {
		return t.RawGetInt(k)
	}
	return t.RawGet(lua.LNumber(k))
}

// seti is t[k] = v without metamethods, refusing a key that would make
// gopher-lua grow the array part far past the table's length: its arrays
// are dense, so t[6e7] = v allocates a gigabyte where LuaJIT would add one
// hash entry.
func (lb *lib) seti(ls *lua.LState, t *lua.LTable, k int, v lua.LValue) {
	lb.checkIndex(ls, t, k)
	t.RawSetInt(k, v)
}

// checkIndex raises "not enough memory" for an integer key more than
// Limits.MaxTable past the end of t's array part.
func (lb *lib) checkIndex(ls *lua.LState, t *lua.LTable, k int) {
	if k >= 1 && k < lua.MaxArrayIndex && k > t.Len()+lb.lim.MaxTable {
		raiseMemory(ls)
	}
}
