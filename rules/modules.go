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
		"(LuaSocket used only for socket.gettime and socket.sleep excepted) " +
		"(socket*, ssl*, http*, resty.*, curl*, ffi, posix), through require, pcall(require, ...), an alias of require, " +
		"package.loaded or package.preload, or uses package.loadlib or the module searchers (package.loaders, package.searchers). Such a script can send data anywhere, " +
		"bypassing wrk and its target. Modules listed in allow.modules are not reported.",
	Help: "A wrk script talks to the benchmark target through wrk itself. A socket, HTTP client, FFI or " +
		"`package.loadlib` lets it talk to any host instead.\n\n" +
		"LuaSocket loaded only for `socket.gettime()` or `socket.sleep()` is not reported: wrkrun provides both built in. " +
		"A script that uses anything else of it must allow it explicitly:\n\n" +
		"```yaml\nallow:\n  modules: [socket]\n```",
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
	clockOnly := socketClockOnly(pass)
	for _, c := range callsTo(pass, "require") {
		names, _ := c.Arg(0).ConstStrings()
		var bad []string
		for _, n := range names {
			if n == "socket" && clockOnly {
				continue
			}
			if networkModule(n) && !pass.Policy.AllowsModule(n) {
				bad = append(bad, strconv.Quote(n))
			}
		}
		sort.Strings(bad)
		if len(bad) > 0 {
			pass.Reportf(callNode(c), "require loads %s, which can open network connections or run native code", strings.Join(bad, " or "))
		}
	}
	// package.loaded["socket"] and package.preload.socket, read or written.
	for _, ref := range pass.Refs() {
		ix, ok := ref.Expr.(*ast.AttrGetExpr)
		if !ok {
			continue
		}
		if name, hit := packageTableKey(pass, pass.Values(ix.Object), pass.Values(ix.Key)); hit {
			pass.Reportf(ix, "%s reaches the module %s, which can open network connections or run native code", pass.Text(ix), strconv.Quote(name))
		}
	}
	for _, st := range pass.Stores() {
		if st.Target == nil {
			continue
		}
		if name, hit := packageTableKey(pass, st.Object, st.Key); hit {
			pass.Reportf(st.Target, "%s installs the module %s, which can open network connections or run native code", pass.Text(st.Target), strconv.Quote(name))
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
				if ref.Role != analyzer.RoleCallee {
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
