package luart

import (
	"bytes"
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
// value end) in data. The last field of a name wins, as in wrk. It is never
// modified once built, so the tables of responses with the same headers
// share one copy (and one metatable).
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

// initLazyHeaders creates the proxy metatables' shared functions and wraps
// the base functions that see tables raw.
func (st *state) initLazyHeaders() {
	ls := st.ls
	st.lazyIndex = ls.NewFunction(func(ls *lua.LState) int {
		t := ls.CheckTable(1)
		k, ok := ls.Get(2).(lua.LString)
		lh := lazyOf(t)
		if !ok || lh == nil {
			ls.Push(lua.LNil)
			return 1
		}
		ls.Push(lh.get(string(k)))
		return 1
	})
	st.lazyNewIndex = ls.NewFunction(func(ls *lua.LState) int {
		t := ls.CheckTable(1)
		realizeHeaders(t)
		t.RawSet(ls.Get(2), ls.Get(3))
		return 0
	})
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

// newHeaders returns the lazy headers table for one response: an empty
// table whose metatable holds a copy of the fields (the response's
// buffers are reused). Every response gets a table of its own, as in wrk,
// but consecutive responses with the same header bytes (all of them but
// a changed Date, typically) share the copy and its metatable: scripts
// cannot reach a lazy table's metatable (getmetatable realizes the table
// first), so the sharing is invisible, and the table costs one allocation
// instead of a copy and a metatable.
func (st *state) newHeaders(hs []runner.HeaderField, fold bool) *lua.LTable {
	if st.lazyMeta == nil || !st.lazyLast.same(hs) || st.lazyLast.fold != fold {
		st.lazyLast = newLazyHeaders(hs, st.s.opts.Secrets)
		if fold {
			st.lazyLast.fold, st.lazyLast.foldMeta = true, st.foldMeta
		}
		mt := st.ls.CreateTable(0, 3)
		mt.RawSetString("__index", st.lazyIndex)
		mt.RawSetString("__newindex", st.lazyNewIndex)
		marker := st.ls.NewUserData()
		marker.Value = st.lazyLast
		mt.RawSetString(lazyMarkerField, marker)
		st.lazyMeta = mt
	}
	t := st.ls.CreateTable(0, 0) // NewTable preallocates 32 + 32 slots
	t.Metatable = st.lazyMeta
	return t
}

func newLazyHeaders(hs []runner.HeaderField, secrets *redact.Set) *lazyHeaders {
	n := 0
	for _, h := range hs {
		n += len(h.Name) + len(h.Value)
	}
	lh := &lazyHeaders{data: make([]byte, 0, n), fields: make([][3]int, 0, len(hs)), secrets: secrets}
	for _, h := range hs {
		start := len(lh.data)
		lh.data = append(lh.data, h.Name...)
		mid := len(lh.data)
		lh.data = append(lh.data, h.Value...)
		lh.fields = append(lh.fields, [3]int{start, mid, len(lh.data)})
	}
	return lh
}

// same reports whether hs are exactly lh's fields, names and values byte
// for byte and in the same order.
func (lh *lazyHeaders) same(hs []runner.HeaderField) bool {
	if lh == nil || len(hs) != len(lh.fields) {
		return false
	}
	for i, h := range hs {
		f := lh.fields[i]
		if !bytes.Equal(h.Name, lh.data[f[0]:f[1]]) || !bytes.Equal(h.Value, lh.data[f[1]:f[2]]) {
			return false
		}
	}
	return true
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

// lazyOf returns t's private copy when t is a lazy headers table. Only
// Go code can put a *lazyHeaders in a userdata, so a script cannot forge
// one.
func lazyOf(t *lua.LTable) *lazyHeaders {
	mt, ok := t.Metatable.(*lua.LTable)
	if !ok {
		return nil
	}
	marker, ok := mt.RawGetString(lazyMarkerField).(*lua.LUserData)
	if !ok {
		return nil
	}
	lh, _ := marker.Value.(*lazyHeaders)
	return lh
}

// realizeHeaders turns a lazy headers table into the ordinary table wrk
// would have passed; other tables are left alone.
func realizeHeaders(t *lua.LTable) {
	lh := lazyOf(t)
	if lh == nil {
		return
	}
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
