package luart

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// openWrk builds the state's wrk table (wrk.lua plus script.c's fields).
func (st *state) openWrk() {
	L, s := st.L, st.s
	t := L.NewTable()
	t.RawSetString("scheme", lua.LString(s.target.Scheme))
	t.RawSetString("host", lua.LString(s.target.Host))
	if s.target.Port != "" {
		t.RawSetString("port", lua.LString(s.target.Port))
	}
	t.RawSetString("method", lua.LString("GET"))
	t.RawSetString("path", lua.LString(s.target.Path))
	headers := L.NewTable()
	for _, h := range s.opts.Headers {
		headers.RawSetString(h.Name, lua.LString(h.Value))
	}
	t.RawSetString("headers", headers)
	t.RawSetString("format", L.NewFunction(st.format))
	t.RawSetString("lookup", L.NewFunction(st.lookup))
	t.RawSetString("connect", L.NewFunction(st.connect))

	st.addrMeta = L.NewTable()
	st.addrMeta.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(addrString(checkAddr(L, 1))))
		return 1
	}))
	st.addrMeta.RawSetString("__metatable", lua.LString("wrk.addr"))

	st.threadMeta = L.NewTable()
	get, set, stop := L.NewFunction(st.threadGet), L.NewFunction(st.threadSet), L.NewFunction(st.threadStop)
	st.threadMeta.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		th := checkThread(L, 1)
		key := L.Get(2)
		switch key.String() {
		case "addr":
			if th.addr == nil {
				L.Push(lua.LNil)
			} else {
				L.Push(st.newAddr(th.addr)) // a copy, as wrk
			}
		case "get":
			L.Push(get)
		case "set":
			L.Push(set)
		case "stop":
			L.Push(stop)
		default:
			L.Push(key) // wrk returns the key for unknown fields
		}
		return 1
	}))
	st.threadMeta.RawSetString("__newindex", L.NewFunction(st.threadNewIndex))
	st.threadMeta.RawSetString("__metatable", lua.LString("wrk.thread"))

	st.statsMeta = st.newStatsMeta()
	if st.idx == 0 && s.opts.Addr != nil {
		addrs := L.NewTable()
		addrs.Append(st.newAddr(s.opts.Addr))
		t.RawSetString("addrs", addrs)
	}
	st.wrk = t
	L.G.Global.RawSetString("wrk", t)
}

// format is wrk.format(method, path, headers, body), byte for byte as
// wrk.lua builds it, including its side effects on the headers table: Host
// is copied from wrk.headers when absent, Content-Length is set to the
// body's length or removed. Headers follow the table's iteration order.
func (st *state) format(L *lua.LState) int {
	method := st.argOr(L, 1, "method")
	path := st.argOr(L, 2, "path")
	hv := st.argOr(L, 3, "headers")
	body := st.argOr(L, 4, "body")
	headers, ok := hv.(*lua.LTable)
	if !ok {
		L.RaiseError("bad argument #3 to 'format' (table expected, got %s)", hv.Type())
	}
	if !lua.LVAsBool(L.GetField(headers, "Host")) {
		def := lua.LValue(lua.LNil)
		if wh, ok := st.wrk.RawGetString("headers").(*lua.LTable); ok {
			def = L.GetField(wh, "Host")
		}
		L.SetField(headers, "Host", def)
	}
	var bodyStr string
	hasBody := lua.LVAsBool(body)
	if hasBody {
		bodyStr = formatArg(L, body, 4)
		L.SetField(headers, "Content-Length", lua.LNumber(len(bodyStr)))
	} else {
		L.SetField(headers, "Content-Length", lua.LNil)
	}
	buf := make([]byte, 0, 128+len(bodyStr))
	buf = append(buf, formatArg(L, method, 1)...)
	buf = append(buf, ' ')
	buf = append(buf, formatArg(L, path, 2)...)
	buf = append(buf, " HTTP/1.1\r\n"...)
	for k, v := headers.Next(lua.LNil); k != lua.LNil; k, v = headers.Next(k) {
		buf = append(buf, formatArg(L, k, 3)...)
		buf = append(buf, ": "...)
		buf = append(buf, formatArg(L, v, 3)...)
		buf = append(buf, "\r\n"...)
	}
	buf = append(buf, "\r\n"...)
	buf = append(buf, bodyStr...)
	L.Push(lua.LString(buf))
	return 1
}

// argOr is argument i, or the wrk table's field when it is nil or false
// (wrk.lua's "x = x or wrk.x").
func (st *state) argOr(L *lua.LState, i int, field string) lua.LValue {
	if v := L.Get(i); lua.LVAsBool(v) {
		return v
	}
	return st.wrk.RawGetString(field)
}

// formatArg is string.format("%s", v) for what wrk.format accepts.
func formatArg(L *lua.LState, v lua.LValue, arg int) string {
	switch v := v.(type) {
	case lua.LString:
		return string(v)
	case lua.LNumber:
		return v.String()
	case lua.LBool:
		return v.String()
	}
	L.ArgError(arg, "string expected, got "+v.Type().String())
	return ""
}

// lookup is wrk.lookup(host, service): the TCP addresses of host:service.
// wrk exits the process when resolution fails; here it is a Lua error,
// which ends the run just the same but can be caught with pcall.
func (st *state) lookup(L *lua.LState) int {
	host := L.CheckString(1)
	service := "http"
	if v := L.Get(2); v != lua.LNil {
		service = lua.LVAsString(v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), st.s.opts.hookTimeout())
	defer cancel()
	res := st.s.opts.resolver()
	port, err := res.LookupPort(ctx, "tcp", service)
	if err != nil {
		L.RaiseError("unable to resolve %s:%s %v", host, service, err)
	}
	ips, err := res.LookupIPAddr(ctx, host)
	if err != nil {
		L.RaiseError("unable to resolve %s:%s %v", host, service, err)
	}
	t := L.CreateTable(len(ips), 0)
	for _, ip := range ips {
		t.Append(st.newAddr(&net.TCPAddr{IP: ip.IP, Port: port, Zone: ip.Zone}))
	}
	L.Push(t)
	return 1
}

// connect is wrk.connect(addr): whether a TCP connection to addr succeeds.
// Addresses outside the target policy are not tried.
func (st *state) connect(L *lua.LState) int {
	a := checkAddr(L, 1)
	if !st.s.opts.allowTarget(a.IP) {
		st.s.warn(where(L), "wrk.connect("+addrString(a)+")", "--allow-target "+a.IP.String())
		L.Push(lua.LFalse)
		return 1
	}
	d := net.Dialer{Timeout: min(st.s.opts.hookTimeout()/2, 2*time.Second)}
	c, err := d.Dial("tcp", a.String())
	if err != nil {
		L.Push(lua.LFalse)
		return 1
	}
	c.Close()
	L.Push(lua.LTrue)
	return 1
}

func (st *state) newAddr(a *net.TCPAddr) *lua.LUserData {
	cp := *a
	cp.IP = append(net.IP(nil), a.IP...)
	ud := st.L.NewUserData()
	ud.Value = &cp
	ud.Metatable = st.addrMeta
	return ud
}

func checkAddr(L *lua.LState, i int) *net.TCPAddr {
	if ud, ok := L.Get(i).(*lua.LUserData); ok {
		if a, ok := ud.Value.(*net.TCPAddr); ok {
			return a
		}
	}
	L.ArgError(i, "wrk.addr expected, got "+L.Get(i).Type().String())
	return nil
}

// addrString is wrk's tostring(addr): numeric ip:port, IPv6 unbracketed.
func addrString(a *net.TCPAddr) string {
	return a.IP.String() + ":" + strconv.Itoa(a.Port)
}

// thread is one -t thread as scripts see it (wrk.thread in its own state,
// the setup() argument in the main state).
type thread struct {
	st      *state       // the thread's Lua state
	index   int          // 0-based
	addr    *net.TCPAddr // target; nil until assigned
	stopped bool         // thread:stop() was called
}

func (st *state) newThread(th *thread) *lua.LUserData {
	ud := st.L.NewUserData()
	ud.Value = th
	ud.Metatable = st.threadMeta
	return ud
}

func checkThread(L *lua.LState, i int) *thread {
	if ud, ok := L.Get(i).(*lua.LUserData); ok {
		if th, ok := ud.Value.(*thread); ok {
			return th
		}
	}
	L.ArgError(i, "wrk.thread expected, got "+L.Get(i).Type().String())
	return nil
}

// threadNewIndex only accepts thread.addr = <addr from wrk.lookup>, inside
// the target policy.
func (st *state) threadNewIndex(L *lua.LState) int {
	th := checkThread(L, 1)
	key := L.Get(2)
	if key.String() != "addr" {
		L.RaiseError("cannot set '%s' on thread", L.Get(3).Type())
	}
	ud, ok := L.Get(3).(*lua.LUserData)
	var a *net.TCPAddr
	if ok {
		a, ok = ud.Value.(*net.TCPAddr)
	}
	if !ok {
		L.RaiseError("bad argument #3 to '__newindex' (wrk.addr expected, got %s)", L.Get(3).Type())
	}
	if !st.s.opts.allowTarget(a.IP) {
		st.s.warn(where(L), "thread.addr = "+addrString(a), "--allow-target "+a.IP.String())
		L.RaiseError("thread.addr = %s denied by the target policy", addrString(a))
	}
	cp := *a
	th.addr = &cp
	return 0
}

// threadGet copies the thread state's global name into the caller's state.
func (st *state) threadGet(L *lua.LState) int {
	th := checkThread(L, 1)
	name := L.CheckString(2)
	v, err := copyValue(th.st.L.G.Global.RawGetString(name), L)
	if err != nil {
		L.RaiseError("%v", err)
	}
	L.Push(v)
	return 1
}

// threadSet copies a value into the thread state's global name. Unlike
// wrk (which crashes on them), tables of tables are copied whole.
func (st *state) threadSet(L *lua.LState) int {
	th := checkThread(L, 1)
	name := L.CheckString(2)
	v, err := copyValue(L.Get(3), th.st.L)
	if err != nil {
		L.RaiseError("%v", err)
	}
	th.st.L.G.Global.RawSetString(name, v)
	return 0
}

func (st *state) threadStop(L *lua.LState) int {
	checkThread(L, 1).stopped = true
	return 0
}

// maxCopyDepth bounds the nesting thread:get/set copies.
const maxCopyDepth = 200

// copyValue copies v for dst: nil, booleans, numbers, strings and tables
// of those (nested and cyclic tables keep their shape).
func copyValue(v lua.LValue, dst *lua.LState) (lua.LValue, error) {
	return copyRec(v, dst, map[*lua.LTable]*lua.LTable{}, 0)
}

func copyRec(v lua.LValue, dst *lua.LState, seen map[*lua.LTable]*lua.LTable, depth int) (lua.LValue, error) {
	switch v := v.(type) {
	case *lua.LNilType, lua.LBool, lua.LNumber, lua.LString:
		return v, nil
	case *lua.LTable:
		if c, ok := seen[v]; ok {
			return c, nil
		}
		if depth >= maxCopyDepth {
			return nil, fmt.Errorf("cannot transfer a table nested more than %d levels to thread", maxCopyDepth)
		}
		c := dst.NewTable()
		seen[v] = c
		var err error
		v.ForEach(func(k, val lua.LValue) {
			if err != nil {
				return
			}
			var ck, cv lua.LValue
			if ck, err = copyRec(k, dst, seen, depth+1); err != nil {
				return
			}
			if cv, err = copyRec(val, dst, seen, depth+1); err != nil {
				return
			}
			c.RawSet(ck, cv)
		})
		return c, err
	}
	return nil, fmt.Errorf("cannot transfer '%s' to thread", v.Type())
}
