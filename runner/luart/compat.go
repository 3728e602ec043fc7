package luart

import (
	"fmt"
	"os"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/wrklint/wrklint/internal/lualib"
)

// removedFunc says why a standard function LuaJIT has is not available
// and what, if anything, allows it. The functions stay in their tables
// (LuaJIT scripts test for them) and raise this when called, instead of
// gopher-lua's "attempt to call a non-function object".
type removedFunc struct {
	table, name string // table "" is the global table
	why         string
}

// Names, not closures: the list is shared by every state.
var removedFuncs = func() []removedFunc {
	const (
		dyn   = "loading code at run time cannot be allowed; put shared code in a pure-Lua module next to the script and add it to allow.modules in .wrklint.yml"
		env   = "function environments cannot be allowed"
		exec  = "running programs cannot be allowed (wrkrun confines itself so that no program can be started)"
		files = "no flag allows it; open files with io.open (--allow-read FILE, --allow-write DIR/)"
		stdin = "scripts cannot read standard input"
		dbg   = "the debug library cannot be allowed (debug.traceback works)"
	)
	r := []removedFunc{
		{"", "load", dyn}, {"", "loadstring", dyn}, {"", "loadfile", dyn}, {"", "dofile", dyn},
		{"", "getfenv", env}, {"", "setfenv", env},
		{"", "module", "module() cannot be allowed; return a table from the module instead"},
		{"", "newproxy", "newproxy cannot be allowed"},
		{"", "collectgarbage", "collecting garbage stops every thread of wrkrun; it cannot be allowed"},
		{"string", "dump", "string.dump cannot be allowed (bytecode)"},
		{"os", "execute", exec}, {"io", "popen", exec},
		{"os", "remove", files}, {"os", "rename", files}, {"os", "tmpname", files}, {"io", "tmpfile", files},
		{"io", "input", stdin}, {"io", "read", stdin},
	}
	for _, n := range []string{"debug", "getfenv", "gethook", "getinfo", "getlocal", "getmetatable",
		"getregistry", "getupvalue", "getuservalue", "sethook", "setlocal", "setmetatable",
		"setfenv", "setupvalue", "setuservalue", "upvalueid", "upvaluejoin"} {
		r = append(r, removedFunc{"debug", n, dbg})
	}
	return r
}()

// openCompat completes the sandboxed library with what LuaJIT has and
// wrk scripts use: the removed functions as explaining stubs, a debug
// table with traceback only, io.close and friends, os.exit.
func (st *state) openCompat() {
	ls := st.ls
	g := ls.G.Global
	dbgT := ls.NewTable()
	dbgT.RawSetString("traceback", ls.NewFunction(traceback))
	g.RawSetString("debug", dbgT)
	st.loaded.RawSetString("debug", dbgT)
	for _, r := range removedFuncs {
		t := g
		qual := r.name
		if r.table != "" {
			t = g.RawGetString(r.table).(*lua.LTable)
			qual = r.table + "." + r.name
		}
		t.RawSetString(r.name, ls.NewFunction(removed(qual, r.why)))
	}

	// LuaJIT's argument check and message (gopher-lua's lack the quotes,
	// or name "(anonymous)"); the cost is one Go call per loop, not per
	// iteration.
	for _, name := range []string{"ipairs", "pairs"} {
		orig := g.RawGetString(name)
		if orig == lua.LNil {
			continue
		}
		g.RawSetString(name, ls.NewClosure(func(ls *lua.LState) int {
			if ls.GetTop() == 0 {
				ls.RaiseError("bad argument #1 to '%s' (value expected)", name)
			}
			if _, ok := ls.Get(1).(*lua.LTable); !ok {
				ls.RaiseError("bad argument #1 to '%s' (table expected, got %s)", name, ls.Get(1).Type())
			}
			return callUpvalue(ls)
		}, orig))
	}

	osT := g.RawGetString("os").(*lua.LTable)
	osT.RawSetString("exit", ls.NewFunction(st.exit))
	osT.RawSetString("setlocale", ls.NewFunction(setlocale))

	ioT := g.RawGetString("io").(*lua.LTable)
	st.stdoutFile = ioT.RawGetString("stdout")
	st.ioOpenFn = ioT.RawGetString("open")
	ioT.RawSetString("close", ls.NewFunction(st.ioClose))
	ioT.RawSetString("flush", ls.NewFunction(func(ls *lua.LState) int { ls.Push(lua.LTrue); return 1 }))
	ioT.RawSetString("output", ls.NewFunction(st.ioOutput))
	ioT.RawSetString("write", ls.NewFunction(st.ioWrite))
	st.patchFileMethods()
}

func removed(name, why string) lua.LGFunction {
	return func(ls *lua.LState) int {
		ls.RaiseError("%s is removed by the wrkrun sandbox: %s", name, why)
		return 0
	}
}

// traceback is debug.traceback without the frames' contents: the message
// (LuaJIT returns a non-string message unchanged) followed by the call
// positions.
func traceback(ls *lua.LState) int {
	msg := ls.Get(1)
	if msg != lua.LNil {
		if _, ok := msg.(lua.LString); !ok {
			if _, ok := msg.(lua.LNumber); !ok {
				ls.Push(msg)
				return 1
			}
		}
	}
	var b strings.Builder
	if msg != lua.LNil {
		b.WriteString(lua.LVAsString(msg))
		b.WriteByte('\n')
	}
	b.WriteString("stack traceback:")
	for level := 1; level < 12; level++ {
		dbg, ok := ls.GetStack(level)
		if !ok {
			break
		}
		if _, err := ls.GetInfo("Sl", dbg, lua.LNil); err != nil {
			break
		}
		if dbg.What == "G" || dbg.CurrentLine <= 0 {
			b.WriteString("\n\t[C]: ?")
			continue
		}
		fmt.Fprintf(&b, "\n\t%s:%d: in function <%s:%d>", dbg.Source, dbg.CurrentLine, dbg.Source, dbg.LineDefined)
	}
	ls.Push(lua.LString(b.String()))
	return 1
}

// setlocale only knows the C locale, which is the one LuaJIT starts in.
func setlocale(ls *lua.LState) int {
	switch ls.OptString(1, "C") {
	case "C", "", "POSIX":
		ls.Push(lua.LString("C"))
	default:
		ls.Push(lua.LNil)
	}
	return 1
}

// defaultOut is io.output()'s file: the standard output unless the
// script chose another.
func (st *state) defaultOut() lua.LValue {
	if st.outFile != nil {
		return st.outFile
	}
	return st.stdoutFile
}

// ioClose is io.close([file]): without a file it closes the default
// output, which LuaJIT refuses for the standard output.
func (st *state) ioClose(ls *lua.LState) int {
	f := ls.Get(1)
	if f == lua.LNil {
		if st.outFile == nil {
			ls.Push(lua.LNil)
			ls.Push(lua.LString("cannot close standard file"))
			return 2
		}
		f = st.outFile
	}
	ls.SetTop(0)
	ls.Push(ls.GetField(f, "close"))
	ls.Push(f)
	ls.Call(1, lua.MultRet)
	return ls.GetTop()
}

// ioOutput is io.output([file | name]): a name is opened for writing
// through io.open, so allow.write decides; the standard output or a file
// the script opened become the default output of io.write.
func (st *state) ioOutput(ls *lua.LState) int {
	switch v := ls.Get(1).(type) {
	case *lua.LNilType:
	case lua.LString:
		ls.Push(st.ioOpenFn)
		ls.Push(v)
		ls.Push(lua.LString("w"))
		ls.Call(2, 2)
		f, msg := ls.Get(-2), ls.Get(-1)
		ls.Pop(2)
		if f == lua.LNil {
			ls.RaiseError("%s", lua.LVAsString(msg))
		}
		st.outFile = f
	case *lua.LUserData:
		switch {
		case v == st.stdoutFile:
			st.outFile = nil
		case isFile(ls, v):
			st.outFile = v
		case isStream(v): // io.stderr
			st.outFile = v
		default:
			ls.ArgError(1, "FILE* expected, got userdata")
		}
	default:
		ls.ArgError(1, "FILE* expected, got "+v.Type().String())
	}
	ls.Push(st.defaultOut())
	return 1
}

// ioWrite is io.write on the default output; it returns true, as
// LuaJIT 2.1's.
func (st *state) ioWrite(ls *lua.LState) int {
	if st.outFile == nil {
		st.redacted(writeArgs(ls, 1, st.s.stdout))
		ls.Push(lua.LTrue)
		return 1
	}
	n := ls.GetTop()
	ls.Push(ls.GetField(st.outFile, "write"))
	ls.Push(st.outFile)
	for i := 1; i <= n; i++ {
		ls.Push(ls.Get(i))
	}
	ls.Call(n+1, 0)
	ls.Push(lua.LTrue)
	return 1
}

// isStream reports whether ud is io.stdout or io.stderr (newStream).
func isStream(ud *lua.LUserData) bool {
	_, ok := ud.Value.(*lockedWriter)
	return ok
}

// isFile reports whether ud is a file of io.open.
func isFile(ls *lua.LState, ud *lua.LUserData) bool {
	return ud.Metatable == ls.GetTypeMetatable("FILE*")
}

// patchFileMethods gives io.open's files LuaJIT's f.close() (closing the
// default output: refused) and tostring ("file (0x...)").
func (st *state) patchFileMethods() {
	ls := st.ls
	mt, ok := ls.GetTypeMetatable("FILE*").(*lua.LTable)
	if !ok {
		return
	}
	// gopher-lua's "bad argument #1 to read (file is closed)" is LuaJIT's
	// "attempt to use a closed file".
	for _, name := range []string{"read", "write", "lines", "seek", "flush", "setvbuf"} {
		orig := mt.RawGetString(name)
		if orig == lua.LNil {
			continue
		}
		mt.RawSetString(name, ls.NewClosure(func(ls *lua.LState) int {
			if ud, ok := ls.Get(1).(*lua.LUserData); ok && fileClosed(ls, ud) {
				ls.RaiseError("attempt to use a closed file")
			}
			return callUpvalue(ls)
		}, orig))
	}
	origClose, origString := mt.RawGetString("close"), mt.RawGetString("__tostring")
	mt.RawSetString("close", ls.NewClosure(func(ls *lua.LState) int {
		if ls.Get(1) == lua.LNil {
			return st.ioClose(ls)
		}
		return callUpvalue(ls)
	}, origClose))
	mt.RawSetString("__tostring", ls.NewClosure(func(ls *lua.LState) int {
		ud := ls.CheckUserData(1)
		ls.Push(ls.Get(lua.UpvalueIndex(1)))
		ls.Push(ud)
		ls.Call(1, 1)
		s := ls.Get(-1)
		ls.Pop(1)
		if s == lua.LString("file") {
			s = lua.LString(fmt.Sprintf("file (%p)", ud))
		}
		ls.Push(s)
		return 1
	}, origString))
}

// fileClosed asks the file's tostring (gopher-lua's file type is
// unexported) whether ud is a closed file.
func fileClosed(ls *lua.LState, ud *lua.LUserData) bool {
	return ls.ToStringMeta(ud).String() == "file (closed)"
}

// exit is os.exit([code]): the process ends at once with that status and
// no report, as in wrk (LuaJIT calls C's exit). true is 0, false 1.
func (st *state) exit(ls *lua.LState) int {
	code := 0
	switch v := ls.Get(1).(type) {
	case lua.LBool:
		if !v {
			code = 1
		}
	case lua.LNumber:
		code = int(int32(v)) // the C int conversion
	case *lua.LNilType:
	default:
		code = int(int32(ls.CheckNumber(1)))
	}
	st.s.FlushOutput()
	if st.s.opts.Exit != nil {
		st.s.opts.Exit(code & 0xff)
		// A test's Exit returns: stop the hook as the process would stop.
		ls.RaiseError("os.exit(%d)", code)
	}
	os.Exit(code & 0xff)
	return 0
}

// openSocket is the built-in "socket" module: LuaSocket's time functions
// only (scripts load LuaSocket to seed math.random with socket.gettime()),
// no network.
func (st *state) openSocket() *lua.LTable {
	ls := st.ls
	t := ls.NewTable()
	t.RawSetString("gettime", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(lua.LNumber(float64(time.Now().UnixMicro()) / 1e6))
		return 1
	}))
	t.RawSetString("sleep", ls.NewFunction(func(ls *lua.LState) int {
		d := float64(ls.CheckNumber(1))
		if !(d > 0) {
			return 0
		}
		// Bounded by the hook's context: the watchdog's timeout stops it.
		timer := time.NewTimer(time.Duration(min(d, 1e6) * float64(time.Second)))
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-st.ctx.Done():
		}
		return 0
	}))
	for _, name := range []string{"connect", "bind", "tcp", "udp", "dns", "select", "protect", "try", "newtry", "skip"} {
		t.RawSetString(name, ls.NewFunction(removed("socket."+name,
			"the built-in socket module has only gettime and sleep; a wrk script reaches its target through wrk")))
	}
	t.RawSetString("_VERSION", lua.LString("LuaSocket 3.0 (wrkrun: gettime and sleep only)"))
	return t
}

// defaultHost is wrk.init's Host header, from wrk.host and wrk.port as the
// script left them at its top level (a script may point them elsewhere):
// "host", "host:port", an IPv6 address in brackets.
func (st *state) defaultHost() (string, error) {
	piece := func(field string) (string, bool, error) {
		switch v := st.wrk.RawGetString(field).(type) {
		case lua.LString:
			return string(v), true, nil
		case lua.LNumber:
			return lualib.FormatNumber(float64(v)), true, nil
		case *lua.LNilType:
			return "", false, nil
		case lua.LBool:
			if !v {
				return "", false, nil
			}
		}
		return "", false, &HookError{Hook: "wrk.init", Thread: st.idx,
			Msg: fmt.Sprintf("wrk.%s is a %s: the default Host header needs a string", field, st.wrk.RawGetString(field).Type())}
	}
	host, ok, err := piece("host")
	if err != nil {
		return "", err
	}
	if !ok {
		return "", &HookError{Hook: "wrk.init", Thread: st.idx, Msg: "wrk.host is nil: the default Host header needs a string"}
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	port, ok, err := piece("port")
	if err != nil {
		return "", err
	}
	if ok {
		host += ":" + port
	}
	return host, nil
}
