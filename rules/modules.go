package rules

import (
	"sort"
	"strconv"

	"strings"

	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/analyzer"
)

// NetworkModule is WL301.
var NetworkModule = &analyzer.Rule{
	ID:        "WL301",
	Name:      "NetworkModule",
	Level:     analyzer.LevelError,
	CWE:       200,
	Title:     "Do not load modules that open connections or run native code",
	Precision: "high",
	Bad:       "local http = require(\"socket.http\")\n",
	Good:      "local cjson = require(\"cjson\")\n",
	Description: "The script loads a module that can open its own network connections or run native code " +
		"(LuaSocket used only for socket.gettime and socket.sleep, and the FFI used only to call clock_gettime or " +
		"gettimeofday, excepted) " +
		"(socket*, ssl*, http*, resty.*, curl*, ffi, posix), through require, pcall(require, ...), an alias of require, " +
		"package.loaded or package.preload, or uses package.loadlib or the module searchers (package.loaders, package.searchers). Such a script can send data anywhere, " +
		"bypassing wrk and its target. Modules listed in allow.modules are not reported.",
	Help: "A wrk script talks to the benchmark target through wrk itself. A socket, HTTP client, FFI or " +
		"`package.loadlib` lets it talk to any host instead.\n\n" +
		"LuaSocket loaded only for `socket.gettime()` or `socket.sleep()` is not reported: wrkrun provides both built in. " +
		"A script that uses anything else of it must allow it explicitly:\n\n" +
		"```yaml\nallow:\n  modules: [socket]\n```\n\n" +
		"The FFI runs native code, so `require(\"ffi\")` stays an error unless wrklint can prove that it only reads a " +
		"clock: every `ffi.cdef` is a constant whose only functions are `clock_gettime`, `clock_getres`, " +
		"`gettimeofday`, `time` or `clock` (typedefs and structs around them are fine; a function pointer or an " +
		"attribute is not), `ffi.new` takes a constant type, `ffi.C` is indexed only with those names and they are " +
		"called, and the structs they fill are read at constant fields of element 0 (FFI arrays have no bounds check). " +
		"Anything else of the FFI — `ffi.cast`, `ffi.load`, `ffi.string`, another C function, a computed key, the module " +
		"or a struct passed to other code, a method call — makes it WL301 again. `socket.gettime()` is the simpler clock.",
	Run: runNetworkModule,
}

// networkModule reports whether a module can open connections or run
// native code.
func networkModule(name string) bool {
	first := strings.ToLower(name)
	if i := strings.IndexByte(first, '.'); i >= 0 {
		first = first[:i]
	}
	switch first {
	case "socket", "ssl", "http", "https", "resty", "curl", "lcurl", "ffi", "posix", "copas", "luasocket", "mime", "ltn12":
		return true
	}
	for _, prefix := range []string{"socket", "ssl", "http", "curl"} {
		if strings.HasPrefix(first, prefix) {
			return true
		}
	}
	return false
}

func runNetworkModule(pass *analyzer.Pass) error {
	// Whether LuaSocket and the FFI serve only as clocks: asked only of
	// the scripts that require them, once.
	var clockOnly, ffiClock, clockKnown, ffiKnown bool
	socketClock := func() bool {
		if !clockKnown {
			clockOnly, clockKnown = socketClockOnly(pass), true
		}
		return clockOnly
	}
	ffiClockUse := func() bool {
		if !ffiKnown {
			ffiClock, ffiKnown = ffiClockOnly(pass), true
		}
		return ffiClock
	}
	for _, c := range callsTo(pass, "require") {
		names, _ := c.Arg(0).ConstStrings()
		var bad, quoted []string
		for _, n := range names {
			if (n == "socket" && socketClock()) || (n == "ffi" && ffiClockUse()) {
				continue
			}
			if networkModule(n) && !pass.Policy.AllowsModule(n) {
				bad = append(bad, n)
			}
		}
		sort.Strings(bad)
		for _, n := range bad {
			quoted = append(quoted, strconv.Quote(n))
		}
		if len(bad) > 0 {
			pass.ReportAboutf(callNode(c), bad, "require loads %s, which can open network connections or run native code", strings.Join(quoted, " or "))
		}
	}
	// package.loaded["socket"] and package.preload.socket, read or written.
	for _, ref := range pass.Refs() {
		ix, ok := ref.Expr.(*ast.AttrGetExpr)
		if !ok {
			continue
		}
		if name, hit := packageTableKey(pass, pass.Values(ix.Object), pass.Values(ix.Key)); hit {
			pass.ReportAboutf(ix, []string{name}, "%s reaches the module %s, which can open network connections or run native code", pass.Text(ix), strconv.Quote(name))
		}
	}
	for _, st := range pass.Stores() {
		if st.Target == nil {
			continue
		}
		if name, hit := packageTableKey(pass, st.Object, st.Key); hit {
			pass.ReportAboutf(st.Target, []string{name}, "%s installs the module %s, which can open network connections or run native code", pass.Text(st.Target), strconv.Quote(name))
		}
	}
	reportReferences(pass, func(p string) string {
		switch {
		case p == "package.loadlib":
			return p
		case p == "package.loaders", p == "package.searchers",
			strings.HasPrefix(p, "package.loaders."), strings.HasPrefix(p, "package.searchers."):
			// The searchers require uses: called directly they load any
			// module, native ones included, past the checks on require.
			return searcherTable(p)
		}
		return ""
	}, func(expr, what string) string {
		if what != "package.loadlib" {
			if expr == what {
				return what + " holds the module searchers, which load any module or native library"
			}
			return expr + " reaches " + what + ", the module searchers, which load any module or native library"
		}
		if expr == what {
			return "package.loadlib loads native code"
		}
		return expr + " is package.loadlib, which loads native code"
	})
	return nil
}

// packageTableKey reports whether obj[key] is package.loaded or
// package.preload indexed with a network module's name.
func packageTableKey(pass *analyzer.Pass, obj, key *analyzer.ValueSet) (string, bool) {
	if !obj.HasLib("package.loaded") && !obj.HasLib("package.preload") {
		return "", false
	}
	names, _ := key.ConstStrings()
	for _, n := range names {
		if networkModule(n) && !pass.Policy.AllowsModule(n) {
			return n, true
		}
	}
	return "", false
}

// searcherTable is package.loaders or package.searchers for a path in
// either.
func searcherTable(p string) string {
	if strings.HasPrefix(p, "package.loaders") {
		return "package.loaders"
	}
	return "package.searchers"
}

// socketClockOnly reports whether LuaSocket is used only for
// socket.gettime and socket.sleep, which wrkrun provides built in: the
// module value is only indexed with those names or bound to variables,
// and no other member of it is reached.
func socketClockOnly(pass *analyzer.Pass) bool {
	for _, ref := range pass.LibRefs() {
		for _, v := range pass.Values(ref.Expr).Values() {
			p := v.Path()
			if p == "" || !strings.HasPrefix(p, "module:socket") {
				continue
			}
			switch p {
			case "module:socket.gettime", "module:socket.sleep":
				// Called, or bound to a name whose uses are checked by
				// their value in turn (local now = socket.gettime).
				if ref.Role != analyzer.RoleCallee && ref.Role != analyzer.RoleBound {
					return false
				}
				continue
			case "module:socket.gettime()", "module:socket.sleep()":
				continue // their results: a number, nothing
			case "module:socket":
			default:
				return false
			}
			switch ref.Role {
			case analyzer.RoleBound, analyzer.RoleCallee:
				// local socket = require("socket"); the require call itself.
				if _, isCall := ref.Expr.(*ast.FuncCallExpr); isCall || ref.Role == analyzer.RoleBound {
					continue
				}
				return false
			case analyzer.RoleObject:
				ix, ok := ref.Parent.(*ast.AttrGetExpr)
				if !ok {
					return false
				}
				k, ok := pass.Values(ix.Key).ConstString()
				if !ok || (k != "gettime" && k != "sleep") {
					return false
				}
			case analyzer.RoleOther:
				if _, isCall := ref.Expr.(*ast.FuncCallExpr); !isCall {
					return false
				}
			default:
				return false
			}
		}
	}
	for _, c := range pass.Calls() {
		if c.Method && strings.HasPrefix(matchedSocket(c.Callee), "module:socket") {
			return false
		}
	}
	return true
}

func matchedSocket(vals *analyzer.ValueSet) string {
	for _, v := range vals.Values() {
		if strings.HasPrefix(v.Path(), "module:socket") {
			return v.Path()
		}
	}
	return ""
}

// ffiTimeFuncs are the C functions a script may declare and call through
// the FFI to read a clock: they write only into the struct passed to them.
var ffiTimeFuncs = map[string]bool{
	"clock_gettime": true, "clock_getres": true, "gettimeofday": true, "time": true, "clock": true,
}

// ffiClockOnly reports whether the FFI is provably used only to read a
// clock: ffi.cdef of constant declarations whose only functions are
// ffiTimeFuncs, ffi.new of a constant type, calls of those functions
// through ffi.C, and reads of the structs they fill at constant fields
// (element 0 only: FFI arrays have no bounds check). The FFI is native
// code, so anything else of it (ffi.cast, ffi.load, ffi.string, another
// C function, a computed key, the module passed where the analysis cannot
// follow it) keeps WL301. Every expression holding an FFI value is
// checked by its value, so aliases are followed for free.
func ffiClockOnly(pass *analyzer.Pass) bool {
	used := false
	for _, ref := range pass.LibRefs() {
		for _, v := range pass.Values(ref.Expr).Values() {
			p, ok := strings.CutPrefix(v.Path(), "module:ffi")
			if !ok {
				continue
			}
			// Loaded and never used for a clock: nothing proves what it
			// is for.
			if strings.HasPrefix(p, ".C.") && ref.Role == analyzer.RoleCallee {
				used = true
			}
			if !ffiUseAllowed(pass, ref, p) {
				return false
			}
		}
	}
	for _, c := range pass.Calls() {
		if c.Method && matchedFFI(c.Callee) {
			return false
		}
	}
	for _, c := range pass.CallsTo("module:ffi.cdef") {
		decls, all := c.Arg(0).ConstStrings()
		if !all || c.Indirect {
			return false
		}
		for _, d := range decls {
			if !cdefOnlyTime(d) {
				return false
			}
		}
	}
	for _, c := range pass.CallsTo("module:ffi.new") {
		if _, ok := c.Arg(0).ConstString(); !ok || c.Indirect {
			return false
		}
	}
	return used
}

// ffiUseAllowed checks one expression holding the FFI value at path
// "module:ffi"+p.
func ffiUseAllowed(pass *analyzer.Pass, ref analyzer.Ref, p string) bool {
	switch {
	case p == "":
		_, isCall := ref.Expr.(*ast.FuncCallExpr) // require("ffi") itself
		return isCall || ref.Role == analyzer.RoleBound || (ref.Role == analyzer.RoleObject && constKeyIn(pass, ref, "cdef", "new", "C"))
	case p == ".cdef" || p == ".new":
		return ref.Role == analyzer.RoleCallee
	case p == ".cdef()":
		return true // nothing
	case p == ".C":
		return ref.Role == analyzer.RoleBound || (ref.Role == analyzer.RoleObject && constKeyIn(pass, ref, timeFuncNames()...))
	case p == ".new()":
		switch ref.Role {
		case analyzer.RoleBound:
			return true
		case analyzer.RoleArg:
			// Only into the clock functions: ffi.C.clock_gettime(6, ts).
			call, ok := ref.Parent.(*ast.FuncCallExpr)
			return ok && ffiTimeCallee(pass.Values(call.Func))
		case analyzer.RoleObject:
			return cdataKey(pass, ref)
		}
		return false
	case strings.HasPrefix(p, ".new()."):
		// A field or element of the struct: data.
		return ref.Role != analyzer.RoleObject || cdataKey(pass, ref)
	case strings.HasPrefix(p, ".C."):
		name, call := strings.CutSuffix(p[len(".C."):], "()")
		if !ffiTimeFuncs[name] {
			return false
		}
		return call || ref.Role == analyzer.RoleCallee
	}
	return false
}

func timeFuncNames() []string {
	names := make([]string, 0, len(ffiTimeFuncs))
	for n := range ffiTimeFuncs {
		names = append(names, n)
	}
	return names
}

// constKeyIn reports whether ref is indexed with one constant key among
// names.
func constKeyIn(pass *analyzer.Pass, ref analyzer.Ref, names ...string) bool {
	ix, ok := ref.Parent.(*ast.AttrGetExpr)
	if !ok || ix.Object != ref.Expr {
		return false
	}
	k, ok := pass.Values(ix.Key).ConstString()
	if !ok || !pass.Folds(ix.Key) {
		return false
	}
	for _, n := range names {
		if k == n {
			return true
		}
	}
	return false
}

// cdataKey reports whether a struct from ffi.new is indexed with a
// constant field name or the element 0.
func cdataKey(pass *analyzer.Pass, ref analyzer.Ref) bool {
	ix, ok := ref.Parent.(*ast.AttrGetExpr)
	if !ok || ix.Object != ref.Expr || !pass.Folds(ix.Key) {
		return false
	}
	vals := pass.Values(ix.Key)
	k, ok := vals.ConstString()
	if !ok {
		return false
	}
	if vals.HasKind(analyzer.KNumber) {
		return k == "0"
	}
	return k != "" && strings.Trim(k, "0123456789") != ""
}

func ffiTimeCallee(vals *analyzer.ValueSet) bool {
	if vals.Empty() {
		return false
	}
	for _, v := range vals.Values() {
		name, ok := strings.CutPrefix(v.Path(), "module:ffi.C.")
		if !ok || !ffiTimeFuncs[name] {
			return false
		}
	}
	return true
}

func matchedFFI(vals *analyzer.ValueSet) bool {
	for _, v := range vals.Values() {
		if strings.HasPrefix(v.Path(), "module:ffi") {
			return true
		}
	}
	return false
}

// cdefOnlyTime reports whether C declarations declare no function other
// than ffiTimeFuncs: every declaration with a parenthesis must be a
// prototype "type name(params)" of one of them (a function pointer, an
// attribute or a macro-like construct is refused rather than parsed).
func cdefOnlyTime(src string) bool {
	src = stripCComments(src)
	for _, decl := range strings.Split(src, ";") {
		open := strings.IndexByte(decl, '(')
		if open < 0 {
			continue // typedefs, struct members, variables: no code
		}
		if strings.Count(decl, "(") != 1 || strings.Count(decl, ")") != 1 || strings.Contains(decl, "{") || strings.Contains(decl, "}") {
			return false
		}
		head := strings.Fields(decl[:open])
		if len(head) < 2 || head[0] == "typedef" || !ffiTimeFuncs[strings.TrimLeft(head[len(head)-1], "*")] {
			return false
		}
		if strings.TrimSpace(decl[strings.IndexByte(decl, ')')+1:]) != "" {
			return false
		}
	}
	return true
}

// stripCComments removes /* */ and // comments (an unterminated one
// removes the rest).
func stripCComments(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			i += end + 4
			b.WriteByte(' ')
		case strings.HasPrefix(s[i:], "//"):
			end := strings.IndexByte(s[i:], '\n')
			if end < 0 {
				return b.String()
			}
			i += end
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}
