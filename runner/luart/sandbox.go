package luart

import (
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/wrklint/wrklint/internal/audit"
	"github.com/wrklint/wrklint/internal/lualib"
)

// removedGlobals are base functions a wrk script must not have: dynamic
// code, environment tricks, process-wide GC, gopher-lua debugging aids.
var removedGlobals = []string{
	"load", "loadstring", "loadfile", "dofile", "getfenv", "setfenv",
	"collectgarbage", "module", "newproxy", "_printregs", "require", "print",
}

// openLibs builds the sandboxed standard library in st.ls.
func (st *state) openLibs() error {
	ls := st.ls
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString}, {lua.MathLibName, lua.OpenMath},
		{lua.CoroutineLibName, lua.OpenCoroutine}, {lua.OsLibName, lua.OpenOs},
		{lua.IoLibName, lua.OpenIo},
	} {
		ls.Push(ls.NewFunction(lib.open))
		ls.Push(lua.LString(lib.name))
		ls.Call(1, 0)
	}
	g := ls.G.Global
	for _, name := range removedGlobals {
		g.RawSetString(name, lua.LNil)
	}
	// The library layer replaces gopher-lua's string, table, math,
	// tostring, tonumber, unpack, pcall and xpcall with LuaJIT's behaviour
	// and size bounds, and adds LuaJIT's bit module.
	lualib.Open(ls, lualib.Limits{MaxString: st.s.opts.maxString()},
		lualib.Base, lualib.String, lualib.Table, lualib.Math, lualib.Bit, lualib.OS, lualib.Coroutine)
	g.RawSetString("print", ls.NewFunction(st.print))
	st.initLazyHeaders()
	g.RawSetString("require", ls.NewFunction(st.require))

	mth := g.RawGetString("math").(*lua.LTable)
	mth.RawSetString("random", ls.NewFunction(lualib.MathRandom(st.rnd.Float64)))
	mth.RawSetString("randomseed", ls.NewFunction(st.randomseed))

	oldOS := g.RawGetString("os").(*lua.LTable)
	osT := ls.NewTable()
	for _, name := range []string{"time", "clock", "date", "difftime"} {
		osT.RawSetString(name, oldOS.RawGetString(name))
	}
	osT.RawSetString("getenv", ls.NewFunction(st.getenv))
	g.RawSetString("os", osT)

	oldIO := g.RawGetString("io").(*lua.LTable)
	ioT := ls.NewTable()
	ioT.RawSetString("open", ls.NewClosure(st.ioOpen, oldIO.RawGetString("open")))
	ioT.RawSetString("lines", ls.NewClosure(st.ioLines, oldIO.RawGetString("lines")))
	ioT.RawSetString("type", oldIO.RawGetString("type"))
	ioT.RawSetString("stdout", st.newStream(st.s.stdout, "stdout"))
	ioT.RawSetString("stderr", st.newStream(st.s.stderr, "stderr"))
	g.RawSetString("io", ioT)

	// package is rebuilt from scratch: the registry's _LOADED still holds
	// the unrestricted os and io, and must stay unreachable.
	st.loaded = ls.NewTable()
	for _, name := range []string{"_G", "string", "table", "math", "coroutine", "os", "io", "bit"} {
		st.loaded.RawSetString(name, g.RawGetString(name))
	}
	pkg := ls.NewTable()
	pkg.RawSetString("loaded", st.loaded)
	pkg.RawSetString("preload", ls.NewTable())
	pkg.RawSetString("path", lua.LString("./?.lua"))
	pkg.RawSetString("cpath", lua.LString(""))
	g.RawSetString("package", pkg)
	st.loaded.RawSetString("package", pkg)

	st.openCompat()
	st.openWrk()
	st.loaded.RawSetString("wrk", st.wrk)
	return nil
}

// print is Lua's print on Options.Stdout.
func (st *state) print(ls *lua.LState) int {
	var b strings.Builder
	for i := 1; i <= ls.GetTop(); i++ {
		if i > 1 {
			b.WriteByte('\t')
		}
		b.WriteString(lualib.ToString(ls, ls.Get(i)))
	}
	b.WriteByte('\n')
	st.redacted(st.s.stdout.WriteString(b.String()))
	return 0
}

// writeArgs writes io.write-style arguments (strings and numbers) from
// index first on; it returns the number of secrets redacted.
func writeArgs(ls *lua.LState, first int, w *lockedWriter) int {
	var b strings.Builder
	for i := first; i <= ls.GetTop(); i++ {
		switch v := ls.Get(i).(type) {
		case lua.LString:
			b.WriteString(string(v))
		case lua.LNumber:
			b.WriteString(lualib.FormatNumber(float64(v)))
		default:
			ls.ArgError(i, "string expected, got "+v.Type().String())
		}
	}
	return w.WriteString(b.String())
}

// newStream is io.stdout / io.stderr: write, flush, close and setvbuf
// only, writing to the Script's streams.
func (st *state) newStream(w *lockedWriter, name string) *lua.LUserData {
	ls := st.ls
	ud := ls.NewUserData()
	ud.Value = w
	mt := ls.NewTable()
	methods := ls.NewTable()
	methods.RawSetString("write", ls.NewFunction(func(ls *lua.LState) int {
		ls.CheckUserData(1)
		st.redacted(writeArgs(ls, 2, w))
		ls.Push(ls.Get(1))
		return 1
	}))
	nop := ls.NewFunction(func(ls *lua.LState) int { ls.Push(lua.LTrue); return 1 })
	methods.RawSetString("flush", nop)
	methods.RawSetString("setvbuf", nop)
	methods.RawSetString("close", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(lua.LNil)
		ls.Push(lua.LString("cannot close standard file"))
		return 2
	}))
	mt.RawSetString("__index", methods)
	mt.RawSetString("__tostring", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(lua.LString("file (" + name + ")"))
		return 1
	}))
	mt.RawSetString("__metatable", lua.LFalse)
	ud.Metatable = mt
	return ud
}

// getenv returns nil for names outside allow.env, with a warning.
func (st *state) getenv(ls *lua.LState) int {
	name := ls.CheckString(1)
	allowed := st.s.opts.Policy.AllowsEnv(name)
	st.audit(audit.Event{Kind: audit.KindEnv, Name: name, Allowed: audit.Allowed(allowed)})
	if !allowed {
		st.s.warn(where(ls), fmt.Sprintf("os.getenv(%q)", name), "--allow-env "+name)
		ls.Push(lua.LNil)
		return 1
	}
	if v, ok := os.LookupEnv(name); ok {
		st.envRead(name, v)
		ls.Push(lua.LString(v))
	} else {
		ls.Push(lua.LNil)
	}
	return 1
}

// writableMode reports whether an io.open mode can modify the file.
func writableMode(mode string) bool { return strings.ContainsAny(mode, "wa+") }

// ioOpen is io.open limited to allow.read (read-only modes) and
// allow.write; a denied open fails like an unreadable file, with a warning.
func (st *state) ioOpen(ls *lua.LState) int {
	name := checkStringArg(ls, 1, "open")
	mode := "r"
	if ls.Get(2) != lua.LNil {
		mode = checkStringArg(ls, 2, "open")
	}
	pol := &st.s.opts.Policy
	var ok bool
	var flag string
	if writableMode(mode) {
		ok = pol.AllowsWrite(name)
		dir := path.Dir(filepath.ToSlash(name))
		flag = "--allow-write " + dir + "/"
	} else {
		ok = pol.AllowsRead(name) || pol.AllowsWrite(name)
		flag = "--allow-read " + name
	}
	st.audit(audit.Event{Kind: audit.KindFile, Path: name, Mode: mode, Allowed: audit.Allowed(ok)})
	if !ok {
		st.s.warn(where(ls), fmt.Sprintf("io.open(%q, %q)", name, mode), flag)
		ls.Push(lua.LNil)
		ls.Push(lua.LString(name + ": denied by the wrkrun sandbox"))
		ls.Push(lua.LNumber(13)) // EACCES, as a failed fopen reports
		return 3
	}
	n := callUpvalue(ls)
	if n >= 2 && ls.Get(-n) == lua.LNil {
		// gopher-lua's message is Go's ("open x: no such file or
		// directory"); LuaJIT's is "x: No such file or directory".
		if msg, ok := ls.Get(-n + 1).(lua.LString); ok {
			text := cMessage(name, string(msg))
			ls.Replace(-n+1, lua.LString(text))
			if n >= 3 {
				for errno, s := range map[int]string{2: "No such file or directory", 13: "Permission denied", 21: "Is a directory", 20: "Not a directory"} {
					if strings.HasSuffix(text, ": "+s) {
						ls.Replace(-n+2, lua.LNumber(errno))
					}
				}
			}
		}
	}
	return n
}

// cMessage rewrites a Go *PathError text for name into C's
// "name: Strerror text".
func cMessage(name, msg string) string {
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	if msg != "" && msg[0] >= 'a' && msg[0] <= 'z' {
		msg = string(msg[0]-'a'+'A') + msg[1:]
	}
	return name + ": " + msg
}

// checkStringArg is luaL_checkstring with LuaJIT's message: a string or a
// number (as LuaJIT prints it).
func checkStringArg(ls *lua.LState, n int, fname string) string {
	switch v := ls.Get(n).(type) {
	case lua.LString:
		return string(v)
	case lua.LNumber:
		return lualib.FormatNumber(float64(v))
	}
	got := "no value"
	if n <= ls.GetTop() {
		got = ls.Get(n).Type().String()
	}
	ls.RaiseError("bad argument #%d to '%s' (string expected, got %s)", n, fname, got)
	return ""
}

// ioLines is io.lines(path) limited to allow.read; io.lines() (standard
// input) is not available.
func (st *state) ioLines(ls *lua.LState) int {
	if ls.GetTop() == 0 || ls.Get(1) == lua.LNil {
		ls.RaiseError("io.lines() reads standard input, which wrkrun scripts cannot use")
	}
	name := checkStringArg(ls, 1, "lines")
	pol := &st.s.opts.Policy
	allowed := pol.AllowsRead(name) || pol.AllowsWrite(name)
	st.audit(audit.Event{Kind: audit.KindFile, Path: name, Mode: "r", Allowed: audit.Allowed(allowed), Detail: "io.lines"})
	if !allowed {
		st.s.warn(where(ls), fmt.Sprintf("io.lines(%q)", name), "--allow-read "+name)
		ls.RaiseError("%s: denied by the wrkrun sandbox", name)
	}
	return callUpvalue(ls)
}

func (st *state) randomseed(ls *lua.LState) int {
	n := float64(ls.CheckNumber(1))
	seed := uint64(int64(n)) ^ math.Float64bits(n)
	st.pcg.Seed(seed, seed^0x5851f42d4c957f2d)
	return 0
}

// require knows "wrk", "cjson", "cjson.safe", what package.loaded holds,
// and modules in allow.modules: those the lint gate analysed (Options.Modules),
// or without the gate pure-Lua files found next to the script.
func (st *state) require(ls *lua.LState) int {
	name := ls.CheckString(1)
	if v := st.loaded.RawGetString(name); v != lua.LNil {
		ls.Push(v)
		return 1
	}
	switch name {
	case "cjson", "cjson.safe":
		st.audit(audit.Event{Kind: audit.KindModule, Name: name, Allowed: audit.Allowed(true), Detail: "built in"})
		m := st.openCJSON(name == "cjson.safe")
		st.loaded.RawSetString(name, m)
		ls.Push(m)
		return 1
	case "socket":
		st.audit(audit.Event{Kind: audit.KindModule, Name: name, Allowed: audit.Allowed(true), Detail: "built in: gettime and sleep only"})
		m := st.openSocket()
		st.loaded.RawSetString(name, m)
		ls.Push(m)
		return 1
	}
	if why := nativeModule(name); why != "" {
		st.audit(audit.Event{Kind: audit.KindModule, Name: name, Allowed: audit.Allowed(false), Detail: why})
		ls.RaiseError("module '%s' is not available in wrkrun: %s", name, why)
	}
	gated := st.s.opts.Modules
	linted, seen := gated[name]
	allowed := st.s.opts.Policy.AllowsModule(name)
	if allowed && gated != nil && !seen {
		st.audit(audit.Event{Kind: audit.KindModule, Name: name, Allowed: audit.Allowed(false), Detail: "not analysed by the lint gate"})
		ls.RaiseError("module '%s' was not analysed by the lint gate: only modules the script requires with a constant name, found by wrklint, are loaded", name)
	}
	st.audit(audit.Event{Kind: audit.KindModule, Name: name, Allowed: audit.Allowed(allowed)})
	file, src := st.s.findModule(name)
	if !allowed {
		if src == nil {
			// An allow.modules entry would not help: say what would.
			ls.RaiseError("module '%s' is not available in the wrkrun sandbox: only pure-Lua modules next to the script can be loaded (allowed by allow.modules in .wrklint.yml), and there is no %s", name, file)
		}
		st.s.warn(where(ls), fmt.Sprintf("require(%q)", name), "allow.modules: ["+name+"] in .wrklint.yml")
		ls.RaiseError("module '%s' is not available in the wrkrun sandbox", name)
	}
	if gated != nil {
		// Only what the gate analysed, as it analysed it.
		file, src = linted.Path, linted.Src
		if src == nil {
			src = []byte{} // an empty module
		}
	}
	if src == nil {
		ls.RaiseError("module '%s' not found: no %s next to the script (only pure-Lua modules can be loaded)", name, file)
	}
	chunk, err := parseLuaJIT(src, file)
	if err != nil {
		ls.RaiseError("module '%s': %v", name, err)
	}
	proto, err := lua.Compile(lualib.RewriteConcat(chunk), file)
	if err != nil {
		ls.RaiseError("module '%s': %v", name, err)
	}
	lualib.InstallRewriteHelpers(ls) // the module's prologue takes them
	ls.Push(ls.NewFunctionFromProto(proto))
	ls.Push(lua.LString(name))
	ls.Call(1, 1)
	v := ls.Get(-1)
	ls.Pop(1)
	if v == lua.LNil {
		v = lua.LTrue
	}
	st.loaded.RawSetString(name, v)
	ls.Push(v)
	return 1
}

// nativeModule says why a module that LuaJIT or LuaRocks provide in C
// cannot be loaded whatever the configuration; "" for other names.
func nativeModule(name string) string {
	root, _, _ := strings.Cut(name, ".")
	switch root {
	case "ffi":
		return "LuaJIT's FFI calls native code, which no configuration allows"
	case "jit":
		return "LuaJIT's compiler modules do not exist in wrkrun's interpreter"
	case "socket", "ssl", "lfs", "posix", "lpeg", "zlib", "rex_pcre", "luasql", "openssl", "crypto", "mime":
		return "it is a C module; wrkrun loads only pure-Lua modules (socket: only require(\"socket\") itself, with gettime and sleep)"
	}
	return ""
}

// findModule looks for name (dots as directories) as name.lua or
// name/init.lua in the script's directory.
func (s *Script) findModule(name string) (string, []byte) {
	rel := strings.ReplaceAll(name, ".", string(filepath.Separator))
	first := filepath.Join(s.dir, rel+".lua")
	for _, p := range []string{first, filepath.Join(s.dir, rel, "init.lua")} {
		if src, err := os.ReadFile(p); err == nil {
			return p, src
		}
	}
	return first, nil
}
