package luart

import (
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/wrklint/wrklint/internal/redact"
	"github.com/wrklint/wrklint/runner"
)

// Response headers are handed to response() as a lazy table: building a
// gopher-lua table costs about 0.7 µs per field (two maps and a slice per
// key), most scripts read one or two headers by name, and many none. The
// table starts empty with a metatable whose __index looks names up in a
// private copy of the fields; anything that needs the whole table (pairs,
// next, rawget, rawset, assignment, getmetatable, setmetatable,
// thread:set, cjson.encode) first turns it into an ordinary table with no
// metatable, so scripts cannot tell the difference.

// lazyHeaders is the private copy: fields[i] = [name start, value start,
// value end) in data. The last field of a name wins, as in wrk.
type lazyHeaders struct {
	data   []byte
	fields [][3]int
	// secrets learns the credential header values the script sees; nil
	// without redaction.
	secrets *redact.Set
	// fold is set for an HTTP/2 response, whose names are lowercase on
	// the wire: lookups ignore case, so headers["Content-Type"] finds
	// what HTTP/1.1 scripts expect, and the realized table keeps that
	// through foldMeta.
	fold     bool
	foldMeta *lua.LTable
}

const lazyMarkerField = "__wrkrun_headers"

// initLazyHeaders creates the state's shared proxy metatable and wraps the
// base functions that see tables raw.
func (st *state) initLazyHeaders() {
	ls := st.ls
	st.lazyKey = ls.NewUserData() // unguessable key of the copy in a proxy
	mt := ls.NewTable()
	mt.RawSetString("__index", ls.NewFunction(func(ls *lua.LState) int {
		t := ls.CheckTable(1)
		k, ok := ls.Get(2).(lua.LString)
		lh := lazyOf(t)
		if !ok || lh == nil {
			ls.Push(lua.LNil)
			return 1
		}
		ls.Push(lh.get(string(k)))
		return 1
	}))
	mt.RawSetString("__newindex", ls.NewFunction(func(ls *lua.LState) int {
		t := ls.CheckTable(1)
		realizeHeaders(t)
		t.RawSet(ls.Get(2), ls.Get(3))
		return 0
	}))
	marker := ls.NewUserData()
	marker.Value = st.lazyKey
	mt.RawSetString(lazyMarkerField, marker)
	st.lazyMeta = mt

	// HTTP/2's realized headers: string keys are looked up lowercased.
	fm := ls.NewTable()
	fm.RawSetString("__index", ls.NewFunction(func(ls *lua.LState) int {
		t := ls.CheckTable(1)
		k, ok := ls.Get(2).(lua.LString)
		if !ok {
			ls.Push(lua.LNil)
			return 1
		}
		ls.Push(t.RawGetString(strings.ToLower(string(k))))
		return 1
	}))
	st.foldMeta = fm

	g := ls.G.Global
	for _, name := range []string{"pairs", "next", "rawget", "rawset", "getmetatable", "setmetatable"} {
		orig := g.RawGetString(name)
		if orig == lua.LNil {
			continue
		}
		g.RawSetString(name, ls.NewClosure(func(ls *lua.LState) int {
			if t, ok := ls.Get(1).(*lua.LTable); ok {
				realizeHeaders(t)
			}
			return callUpvalue(ls)
		}, orig))
	}
}

// newHeaders returns the lazy headers table for one response; the fields
// are copied, since the response's buffers are reused.
func (st *state) newHeaders(hs []runner.HeaderField, fold bool) *lua.LTable {
	n := 0
	for _, h := range hs {
		n += len(h.Name) + len(h.Value)
	}
	lh := &lazyHeaders{data: make([]byte, 0, n), fields: make([][3]int, 0, len(hs)), secrets: st.s.opts.Secrets}
	if fold {
		lh.fold, lh.foldMeta = true, st.foldMeta
	}
	for _, h := range hs {
		start := len(lh.data)
		lh.data = append(lh.data, h.Name...)
		mid := len(lh.data)
		lh.data = append(lh.data, h.Value...)
		lh.fields = append(lh.fields, [3]int{start, mid, len(lh.data)})
	}
	ud := st.ls.NewUserData()
	ud.Value = lh
	t := st.ls.CreateTable(0, 0) // NewTable preallocates 32 + 32 slots
	t.RawSetH(st.lazyKey, ud)
	t.Metatable = st.lazyMeta
	return t
}

func (lh *lazyHeaders) get(name string) lua.LValue {
	for i := len(lh.fields) - 1; i >= 0; i-- {
		f := lh.fields[i]
		if n := lh.data[f[0]:f[1]]; string(n) == name || lh.fold && strings.EqualFold(string(n), name) {
			v := string(lh.data[f[1]:f[2]])
			if lh.secrets != nil {
				lh.secrets.AddHeader(name, v)
			}
			return lua.LString(v)
		}
	}
	return lua.LNil
}

// lazyOf returns t's private copy when t is a lazy headers table.
func lazyOf(t *lua.LTable) *lazyHeaders {
	mt, ok := t.Metatable.(*lua.LTable)
	if !ok {
		return nil
	}
	marker, ok := mt.RawGetString(lazyMarkerField).(*lua.LUserData)
	if !ok {
		return nil
	}
	key, ok := marker.Value.(*lua.LUserData)
	if !ok {
		return nil
	}
	ud, ok := t.RawGetH(key).(*lua.LUserData)
	if !ok {
		return nil
	}
	lh, _ := ud.Value.(*lazyHeaders)
	return lh
}

// realizeHeaders turns a lazy headers table into the ordinary table wrk
// would have passed; other tables are left alone.
func realizeHeaders(t *lua.LTable) {
	lh := lazyOf(t)
	if lh == nil {
		return
	}
	marker := t.Metatable.(*lua.LTable).RawGetString(lazyMarkerField).(*lua.LUserData)
	t.RawSetH(marker.Value.(*lua.LUserData), lua.LNil)
	t.Metatable = lua.LNil
	if lh.fold {
		t.Metatable = lh.foldMeta
	}
	for _, f := range lh.fields {
		name, v := string(lh.data[f[0]:f[1]]), string(lh.data[f[1]:f[2]])
		if lh.secrets != nil {
			lh.secrets.AddHeader(name, v)
		}
		t.RawSetString(name, lua.LString(v))
	}
}

// callUpvalue calls the closure's first upvalue with the same arguments
// and returns its results.
func callUpvalue(ls *lua.LState) int {
	fn := ls.Get(lua.UpvalueIndex(1))
	top := ls.GetTop()
	ls.Insert(fn, 1)
	ls.Call(top, lua.MultRet)
	return ls.GetTop()
}
