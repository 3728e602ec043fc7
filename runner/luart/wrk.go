package luart

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"
	"unsafe"

	lua "github.com/yuin/gopher-lua"

	"github.com/wrklint/wrklint/internal/audit"
	"github.com/wrklint/wrklint/runner/policy"

	"github.com/wrklint/wrklint/internal/lualib"
)

// openWrk builds the state's wrk table (wrk.lua plus script.c's fields).
func (st *state) openWrk() {
	ls, s := st.ls, st.s
	t := ls.NewTable()
	t.RawSetString("scheme", lua.LString(s.target.Scheme))
	t.RawSetString("host", lua.LString(s.target.Host))
	if s.target.Port != "" {
		t.RawSetString("port", lua.LString(s.target.Port))
	}
	t.RawSetString("method", lua.LString("GET"))
	t.RawSetString("path", lua.LString(s.target.Path))
	headers := ls.NewTable()
	for _, h := range s.opts.Headers {
		headers.RawSetString(h.Name, lua.LString(h.Value))
	}
	t.RawSetString("headers", headers)
	t.RawSetString("format", ls.NewFunction(st.format))
	t.RawSetString("lookup", ls.NewFunction(st.lookup))
	t.RawSetString("connect", ls.NewFunction(st.connect))
	// wrk.shard and wrk.shards let a sharded run keep counters disjoint; a
	// merged done() belongs to no shard.
	t.RawSetString("shards", lua.LNumber(max(s.opts.Shards, 1)))
	if !s.opts.Merged {
		t.RawSetString("shard", lua.LNumber(s.opts.Shard))
	}

	st.addrMeta = ls.NewTable()
	st.addrMeta.RawSetString("__tostring", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(lua.LString(addrString(&checkAddr(ls, 1).TCPAddr)))
		return 1
	}))
	st.addrMeta.RawSetString("__metatable", lua.LString("wrk.addr"))

	st.threadMeta = ls.NewTable()
	get, set, stop := ls.NewFunction(st.threadGet), ls.NewFunction(st.threadSet), ls.NewFunction(st.threadStop)
	st.threadMeta.RawSetString("__index", ls.NewFunction(func(ls *lua.LState) int {
		th := checkThread(ls, 1)
		key := ls.Get(2)
		switch key.String() {
		case "addr":
			if th.addr == nil {
				ls.Push(lua.LNil)
			} else {
				ls.Push(st.newAddr(th.addr, th.addrName)) // a copy, as wrk
			}
		case "get":
			ls.Push(get)
		case "set":
			ls.Push(set)
		case "stop":
			ls.Push(stop)
		default:
			ls.Push(unknownField(key))
		}
		return 1
	}))
	st.threadMeta.RawSetString("__newindex", ls.NewFunction(st.threadNewIndex))
	st.threadMeta.RawSetString("__metatable", lua.LString("wrk.thread"))

	st.statsMeta = st.newStatsMeta()
	if st.idx == 0 && s.opts.Addr != nil {
		addrs := ls.NewTable()
		addrs.Append(st.newAddr(s.opts.Addr, ""))
		t.RawSetString("addrs", addrs)
	}
	st.wrk = t
	ls.G.Global.RawSetString("wrk", t)
}

// format is wrk.format(method, path, headers, body), byte for byte as
// wrk.lua builds it, including its side effects on the headers table: Host
// is copied from wrk.headers when absent, Content-Length is set to the
// body's length or removed. Headers follow the table's iteration order.
func (st *state) format(ls *lua.LState) int {
	method := st.argOr(ls, 1, "method")
	path := st.argOr(ls, 2, "path")
	hv := st.argOr(ls, 3, "headers")
	body := st.argOr(ls, 4, "body")
	headers, ok := hv.(*lua.LTable)
	if !ok {
		ls.RaiseError("bad argument #3 to 'format' (table expected, got %s)", hv.Type())
	}
	if !lua.LVAsBool(ls.GetField(headers, "Host")) {
		def := lua.LValue(lua.LNil) //nolint:unconvert // an interface value, replaced below
		if wh, ok := st.wrk.RawGetString("headers").(*lua.LTable); ok {
			def = ls.GetField(wh, "Host")
		}
		ls.SetField(headers, "Host", def)
	}
	var bodyStr string
	hasBody := lua.LVAsBool(body)
	if hasBody {
		bodyStr = formatArg(ls, body, 4)
		ls.SetField(headers, "Content-Length", lua.LNumber(len(bodyStr)))
	} else {
		ls.SetField(headers, "Content-Length", lua.LNil)
	}
	buf := make([]byte, 0, 128+len(bodyStr))
	buf = append(buf, formatArg(ls, method, 1)...)
	buf = append(buf, ' ')
	buf = append(buf, formatArg(ls, path, 2)...)
	buf = append(buf, " HTTP/1.1\r\n"...)
	limit := st.s.opts.maxString()
	for k, v := headers.Next(lua.LNil); k != lua.LNil; k, v = headers.Next(k) {
		name, value := formatArg(ls, k, 3), formatArg(ls, v, 3)
		// Checked before appending: a table of many big headers (one
		// string shared by a million keys) would build gigabytes here.
		if len(buf)+len(name)+len(value)+len(bodyStr)+6 > limit {
			ls.RaiseError("wrk.format: the request would be longer than %d MiB", limit>>20)
		}
		buf = append(buf, name...)
		buf = append(buf, ": "...)
		buf = append(buf, value...)
		buf = append(buf, "\r\n"...)
		st.s.sentHeader(name, value)
	}
	buf = append(buf, "\r\n"...)
	buf = append(buf, bodyStr...)
	// buf is not touched again: the string can take it over instead of a
	// copy (one allocation and copy less per dynamic request).
	ls.Push(lua.LString(unsafe.String(unsafe.SliceData(buf), len(buf)))) //nolint:gosec // buf is never written again
	return 1
}

// argOr is argument i, or the wrk table's field when it is nil or false
// (wrk.lua's "x = x or wrk.x").
func (st *state) argOr(ls *lua.LState, i int, field string) lua.LValue {
	if v := ls.Get(i); lua.LVAsBool(v) {
		return v
	}
	return st.wrk.RawGetString(field)
}

// formatArg is what wrk.lua's wrk.format makes of an argument: method,
// path, header names and values go through string.format("%s"), so any
// value is converted as tostring does (__tostring, LuaJIT's number
// forms); the body (argument 4) goes through string.len and table.concat,
// which take strings and numbers only.
func formatArg(ls *lua.LState, v lua.LValue, arg int) string {
	switch v := v.(type) {
	case lua.LString:
		return string(v)
	case lua.LNumber:
		return lualib.FormatNumber(float64(v))
	}
	if arg != 4 {
		return lualib.ToString(ls, v)
	}
	ls.ArgError(arg, "string expected, got "+v.Type().String())
	return ""
}

// lookup is wrk.lookup(host, service): the TCP addresses of host:service.
// wrk exits the process when resolution fails; here it is a Lua error,
// which ends the run just the same but can be caught with pcall. A host the
// target policy does not allow is refused before anything is resolved: a
// name of the script's choosing sent to the resolver carries data out.
func (st *state) lookup(ls *lua.LState) int {
	host := ls.CheckString(1)
	service := "http"
	if v := ls.Get(2); v != lua.LNil {
		service = lua.LVAsString(v)
	}
	if v := st.s.opts.Targets.CheckLookup(host, st.s.target.Host); !v.Allowed {
		st.refuse(ls, fmt.Sprintf("wrk.lookup(%q)", host), host, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), st.s.opts.hookTimeout())
	defer cancel()
	res := st.s.opts.resolver()
	port, err := res.LookupPort(ctx, "tcp", service)
	if err != nil {
		ls.RaiseError("unable to resolve %s:%s %v", host, service, err)
	}
	ips, err := res.LookupIPAddr(ctx, host)
	if err != nil {
		ls.RaiseError("unable to resolve %s:%s %v", host, service, err)
	}
	// The name travels with the addresses: one allowed explicitly by name
	// lets thread.addr and wrk.connect use what it resolved to.
	name := host
	if net.ParseIP(host) != nil {
		name = ""
	}
	t := ls.CreateTable(len(ips), 0)
	for _, ip := range ips {
		t.Append(st.newAddr(&net.TCPAddr{IP: ip.IP, Port: port, Zone: ip.Zone}, name))
	}
	ls.Push(t)
	return 1
}

// connect is wrk.connect(addr): whether a TCP connection to addr succeeds.
// An address outside the target policy is not tried: it ends the run
// (exit 4), since probing other hosts or ports is not load testing.
func (st *state) connect(ls *lua.LState) int {
	a := checkAddr(ls, 1)
	v := st.s.opts.checkScript(a)
	st.audit(audit.Event{Kind: audit.KindConnect, Addr: addrString(&a.TCPAddr), Allowed: audit.Allowed(v.Allowed), Detail: "wrk.connect"})
	if !v.Allowed {
		st.refuse(ls, "wrk.connect("+addrString(&a.TCPAddr)+")", "", v)
	}
	d := net.Dialer{Timeout: min(st.s.opts.hookTimeout()/2, 2*time.Second)}
	c, err := d.Dial("tcp", a.String())
	if err != nil {
		ls.Push(lua.LFalse)
		return 1
	}
	c.Close()
	ls.Push(lua.LTrue)
	return 1
}

// refuse ends the script for a network use the target policy refused:
// the state's context is cancelled with the refusal, so that pcall cannot
// swallow it, and the run ends with it (the CLI exits 4). The message
// names the call, the script line and what would allow it (name, when a
// host name was refused, else the address).
func (st *state) refuse(ls *lua.LState, call, name string, v policy.Verdict) {
	how := "remove the entry from targets.deny in .wrklint.yml to allow it (deny always wins)"
	if !v.Denied {
		allow := name
		if allow == "" {
			allow = v.Allow()
		}
		how = "allow it with --allow-target " + allow + " (or targets.allow in .wrklint.yml)"
	}
	err := &policy.RefusedError{Lines: []string{fmt.Sprintf("%s at %s refused by the target policy: %s; %s", call, where(ls), v.Rule, how)}}
	st.cancel(err)
	ls.RaiseError("%s", err.Error())
}

// scriptAddr is a wrk.addr value: the address and, when wrk.lookup
// resolved it from a host name, that name.
type scriptAddr struct {
	net.TCPAddr
	name string
}

func (st *state) newAddr(a *net.TCPAddr, name string) *lua.LUserData {
	cp := scriptAddr{TCPAddr: *a, name: name}
	cp.IP = append(net.IP(nil), a.IP...)
	ud := st.ls.NewUserData()
	ud.Value = &cp
	ud.Metatable = st.addrMeta
	return ud
}

func checkAddr(ls *lua.LState, i int) *scriptAddr {
	if ud, ok := ls.Get(i).(*lua.LUserData); ok {
		if a, ok := ud.Value.(*scriptAddr); ok {
			return a
		}
	}
	ls.ArgError(i, "wrk.addr expected, got "+ls.Get(i).Type().String())
	return nil
}

// addrString is wrk's tostring(addr): numeric ip:port, IPv6 unbracketed.
func addrString(a *net.TCPAddr) string {
	return a.IP.String() + ":" + strconv.Itoa(a.Port)
}

// thread is one -t thread as scripts see it (wrk.thread in its own state,
// the setup() argument in the main state).
type thread struct {
	st    *state       // the thread's Lua state
	index int          // 0-based
	addr  *net.TCPAddr // target; nil until assigned
	// addrName is the host name addr was looked up by, "" for none.
	addrName string
	stopped  bool // thread:stop() was called
}

func (st *state) newThread(th *thread) *lua.LUserData {
	ud := st.ls.NewUserData()
	ud.Value = th
	ud.Metatable = st.threadMeta
	return ud
}

func checkThread(ls *lua.LState, i int) *thread {
	if ud, ok := ls.Get(i).(*lua.LUserData); ok {
		if th, ok := ud.Value.(*thread); ok {
			return th
		}
	}
	ls.ArgError(i, "wrk.thread expected, got "+ls.Get(i).Type().String())
	return nil
}

// threadNewIndex only accepts thread.addr = <addr from wrk.lookup>, inside
// the target policy; anything else ends the run (exit 4).
func (st *state) threadNewIndex(ls *lua.LState) int {
	th := checkThread(ls, 1)
	key := ls.Get(2)
	if key.String() != "addr" {
		ls.RaiseError("cannot set '%s' on thread", ls.Get(3).Type())
	}
	ud, ok := ls.Get(3).(*lua.LUserData)
	var a *scriptAddr
	if ok {
		a, ok = ud.Value.(*scriptAddr)
	}
	if !ok {
		ls.RaiseError("bad argument #3 to '__newindex' (wrk.addr expected, got %s)", ls.Get(3).Type())
	}
	v := st.s.opts.checkScript(a)
	st.audit(audit.Event{Kind: audit.KindConnect, Addr: addrString(&a.TCPAddr), Allowed: audit.Allowed(v.Allowed), Detail: "thread.addr"})
	if !v.Allowed {
		st.refuse(ls, "thread.addr = "+addrString(&a.TCPAddr), "", v)
	}
	cp := a.TCPAddr
	th.addr, th.addrName = &cp, a.name
	return 0
}

// threadGet copies the thread state's global name into the caller's state.
func (st *state) threadGet(ls *lua.LState) int {
	th := checkThread(ls, 1)
	name := ls.CheckString(2)
	orig := th.st.ls.G.Global.RawGetString(name)
	v, err := copyValue(orig, ls)
	if err != nil {
		ls.RaiseError("%v", err)
	}
	if st.idx == 0 && st.s.recording {
		st.s.record(th.index, name, orig, where(ls))
	}
	ls.Push(v)
	return 1
}

// threadSet copies a value into the thread state's global name. Unlike
// wrk (which crashes on them), tables of tables are copied whole.
func (st *state) threadSet(ls *lua.LState) int {
	th := checkThread(ls, 1)
	name := ls.CheckString(2)
	v, err := copyValue(ls.Get(3), th.st.ls)
	if err != nil {
		ls.RaiseError("%v", err)
	}
	th.st.ls.G.Global.RawSetString(name, v)
	return 0
}

func (st *state) threadStop(ls *lua.LState) int {
	checkThread(ls, 1).stopped = true
	return 0
}
