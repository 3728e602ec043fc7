package rules

import (
	"net"
	"strings"

	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/analyzer"
)

// TargetRedirect is WL701.
var TargetRedirect = &analyzer.Rule{
	ID:        "WL701",
	Name:      "TargetRedirect",
	Level:     analyzer.LevelError,
	CWE:       441,
	Title:     "Do not send load anywhere but the benchmark target",
	Precision: "high",
	Bad:       "function setup(thread)\n  thread.addr = wrk.lookup(\"example.org\", \"80\")[1]\nend\n",
	Good:      "local addrs = wrk.lookup(wrk.host, wrk.port or \"http\")\nfunction setup(thread)\n  thread.addr = addrs[math.random(#addrs)]\nend\n",
	Description: "The script sets thread.addr (by any path: a loop over keys, a helper, rawset) to something other than an address from wrk.lookup(wrk.host, ...), " +
		"overwrites wrk.host or wrk.port through a computed key, a loop or an alias, " +
		"looks up a host other than wrk.host, calls wrk.connect with such an address, or sends requests whose target " +
		"is an absolute URL naming a host other than the local machine (`wrk.format(\"GET\", \"http://169.254.169.254/...\")`, " +
		"`wrk.path`, a request line returned by request()), which a target that forwards them, as a proxy does, sends on " +
		"to that host, or a CONNECT request naming another host:port, which a proxy turns into a tunnel to it, or injects line breaks (CR/LF) into a header name or value or the path, which adds header lines " +
		"or smuggles a whole second request (to any host) into every request wrk sends. That aims the load at a " +
		"host the operator did not name on the command line: a port scan, or a denial of service against a third party.",
	Help: "The legitimate pattern (wrk's `scripts/addr.lua`) spreads threads over the addresses of the target itself:\n\n" +
		"```lua\nlocal addrs = wrk.lookup(wrk.host, wrk.port or \"http\")\nfunction setup(thread)\n  thread.addr = addrs[math.random(#addrs)]\nend\n```\n\n" +
		"wrklint follows the lookup result through locals, upvalues, indexing, loops and `table.remove`. " +
		"Any other host belongs on the wrk command line, where the operator sees it. To benchmark a forward proxy " +
		"on purpose, suppress the finding where the request is built, with the reason.",
	Run: runTargetRedirect,
}

// trustedAddrs reports whether every value is an address from a lookup of
// wrk.host.
func trustedAddrs(vals *analyzer.ValueSet) bool {
	if vals.Empty() {
		return false
	}
	for _, v := range vals.Values() {
		if v.Kind != analyzer.KAddr || !v.Trusted {
			return false
		}
	}
	return true
}

// mayBeThread reports whether a value may be a wrk thread object: a
// thread, a value the analysis cannot see, or nothing at all (a function
// no visible code calls, such as a hook under another name).
func mayBeThread(vals *analyzer.ValueSet) bool {
	return vals.Empty() || vals.HasLib("wrk.thread") || vals.HasKind(analyzer.KUnknown)
}

// targetRedirected reports whether the script points threads or
// connections at an address that is not the target's (what WL701 reports
// for thread.addr and wrk.connect).
func targetRedirected(pass *analyzer.Pass) bool {
	for _, c := range callsTo(pass, "wrk.connect") {
		if !trustedAddrs(c.Arg(0)) {
			return true
		}
	}
	for _, st := range pass.Stores() {
		if isAddrStore(st) && !trustedAddrs(st.Value) {
			return true
		}
	}
	return len(proxiedRequests(pass)) > 0
}

// proxied is a request whose target is an absolute URL, or the
// authority of a CONNECT request (connect set).
type proxied struct {
	at      ast.Expr
	url     string
	connect bool
}

// proxiedRequests returns the requests whose target is an absolute URL
// ("http://169.254.169.254/..."): the target, if it forwards them as a
// proxy would, sends them to that host, not to itself. They come from
// wrk.format's path, wrk.path, or a request string returned by request().
func proxiedRequests(pass *analyzer.Pass) []proxied {
	var out []proxied
	for _, c := range callsTo(pass, "wrk.format") {
		if u, ok := absoluteURL(c.Arg(1), ""); ok {
			out = append(out, proxied{callNode(c), u, false})
		} else if isConnect(c.Arg(0)) {
			if a, ok := authority(c.Arg(1)); ok {
				out = append(out, proxied{callNode(c), a, true})
			}
		}
	}
	connectMethod := false
	for _, st := range pass.Stores() {
		if st.Target != nil && st.Object.HasLib("wrk") && mayBeKey(st, "method", false) && isConnect(st.Value) {
			connectMethod = true
		}
	}
	for _, st := range pass.Stores() {
		if st.Target == nil || !st.Object.HasLib("wrk") {
			continue
		}
		if k, ok := st.Key.ConstString(); ok && k == "path" {
			if u, ok := absoluteURL(st.Value, ""); ok {
				out = append(out, proxied{st.Target, u, false})
			} else if a, ok := authority(st.Value); ok && connectMethod {
				out = append(out, proxied{st.Target, a, true})
			}
		}
	}
	hooks := map[*analyzer.Func]bool{}
	for _, fn := range pass.Hook("request") {
		hooks[fn] = true
	}
	for _, r := range pass.Returns() {
		if r.Func == nil || !hooks[r.Func] || len(r.Values) == 0 || len(r.Stmt.Exprs) == 0 {
			continue
		}
		if _, call := r.Stmt.Exprs[0].(*ast.FuncCallExpr); call {
			continue // wrk.format(...) is checked above
		}
		if u, ok := absoluteURL(r.Values[0], " "); ok {
			out = append(out, proxied{r.Stmt.Exprs[0], u, false})
		} else if a, ok := connectLine(r.Values[0]); ok {
			out = append(out, proxied{r.Stmt.Exprs[0], a, true})
		}
	}
	return out
}

// isConnect reports whether a method may be CONNECT: a proxy that
// receives it opens a tunnel to the host it names.
func isConnect(method *analyzer.ValueSet) bool {
	if method == nil {
		return false
	}
	for _, v := range method.Values() {
		if v.Kind == analyzer.KString && strings.EqualFold(strings.TrimSpace(v.Str), "CONNECT") {
			return true
		}
	}
	return false
}

// authority returns the host:port a CONNECT request's target names, when
// it is known and not the local machine.
func authority(vals *analyzer.ValueSet) (string, bool) {
	if vals == nil {
		return "", false
	}
	for _, v := range vals.Values() {
		if text, _, ok := knownText(v); ok {
			if a, ok := authorityText(text, v.Kind == analyzer.KShape); ok {
				return a, true
			}
		}
	}
	return "", false
}

// authorityText is authority for one known text (a prefix, when shape is
// set: "evil" .. x may name any host, "evil:" .. port names one).
func authorityText(text string, shape bool) (string, bool) {
	if i := strings.IndexAny(text, " \r\n"); i >= 0 {
		text = text[:i]
	} else if shape && !strings.Contains(text, ":") {
		return "", false
	}
	if text == "" || strings.HasPrefix(text, "/") || !strings.Contains(text, ":") || loopbackHost(text) {
		return "", false
	}
	return text, true
}

// connectLine returns the authority of a request line "CONNECT host:port
// HTTP/1.1" that request() returns.
func connectLine(vals *analyzer.ValueSet) (string, bool) {
	for _, v := range vals.Values() {
		text, _, ok := knownText(v)
		if !ok {
			continue
		}
		method, rest, ok := strings.Cut(strings.TrimLeft(text, "\r\n"), " ")
		if !ok || !strings.EqualFold(method, "CONNECT") {
			continue
		}
		if a, ok := authorityText(rest, false); ok {
			return a, true
		}
	}
	return "", false
}

// absoluteURL returns the absolute http(s) URL a request target may be
// (after the method and sep, for a whole request line), when one of the
// values is known to start with one.
func absoluteURL(vals *analyzer.ValueSet, sep string) (string, bool) {
	for _, v := range vals.Values() {
		text, _, ok := knownText(v)
		if !ok {
			continue
		}
		if sep != "" {
			_, rest, ok := strings.Cut(text, sep)
			if !ok {
				continue
			}
			text = rest
		}
		lower := strings.ToLower(text)
		for _, scheme := range []string{"http://", "https://"} {
			if !strings.HasPrefix(lower, scheme) {
				continue
			}
			host := lower[len(scheme):]
			if i := strings.IndexAny(host, "/?# \r\n"); i >= 0 {
				host = host[:i]
			} else if v.Kind == analyzer.KShape {
				continue // "http://" .. wrk.host: the host is not known
			}
			if host == "" || loopbackHost(host) {
				// Scripts written for a local target name it in the request
				// line ("http://localhost:8080/api"): that is the target.
				continue
			}
			if i := strings.IndexAny(text, " \r\n"); i >= 0 {
				text = text[:i]
			}
			return text, true
		}
	}
	return "", false
}

// isAddrStore reports whether a store may set thread.addr: by name, through
// a key set that includes "addr" (a loop copying a table over the thread,
// a helper called with "addr"), rawset, or a key that is not constant on
// what is surely a thread.
func isAddrStore(st analyzer.Store) bool {
	if st.At == nil {
		return false
	}
	return mayBeKey(st, "addr", st.Object.HasLib("wrk.thread")) && mayBeThread(st.Object)
}

// mayBeKey reports whether a store's key may be name; a key that is not
// constant may be anything when anyKey is set.
func mayBeKey(st analyzer.Store, name string, anyKey bool) bool {
	names, all := st.Key.ConstStrings()
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return !all && anyKey
}

// targetFieldWrites reports stores into wrk.host or wrk.port made by any
// path but the plain wrk.host = ... that configuration scripts use: a loop
// over keys, a helper given wrk and "host", a computed key, rawset. They
// change what wrk.lookup(wrk.host) resolves and the Host header says, in a
// way a reviewer does not see.
func targetFieldWrites(pass *analyzer.Pass) {
	for _, st := range pass.Stores() {
		if st.At == nil || !st.Object.HasLib("wrk") || plainWrkStore(pass, st) {
			continue
		}
		for _, f := range []string{"host", "port"} {
			if mayBeKey(st, f, true) {
				pass.Reportf(st.At, "%s may overwrite wrk.%s through a computed key or an alias: the target the script looks up and names is no longer the one on the command line", pass.Text(st.At), f)
				break
			}
		}
	}
}

// plainWrkStore reports whether a store is written wrk.name = v or
// wrk["name"] = v with the global wrk and a literal name.
func plainWrkStore(pass *analyzer.Pass, st analyzer.Store) bool {
	ix, ok := st.Target.(*ast.AttrGetExpr)
	if !ok {
		return false
	}
	id, ok := ix.Object.(*ast.IdentExpr)
	if !ok || id.Value != "wrk" || pass.Global("wrk").Values().Empty() {
		return false
	}
	_, lit := ix.Key.(*ast.StringExpr)
	return lit && pass.Values(ix.Object).HasLib("wrk")
}

func runTargetRedirect(pass *analyzer.Pass) error {
	for _, c := range callsTo(pass, "wrk.lookup") {
		host := c.Arg(0)
		onlyHost := !host.Empty()
		for _, v := range host.Values() {
			if !v.IsLib("wrk.host") {
				onlyHost = false
			}
		}
		if !onlyHost {
			what := "a host that is not wrk.host"
			var hosts []string
			if s, ok := host.ConstString(); ok {
				what = "the host \"" + s + "\""
				hosts = []string{s}
			}
			pass.ReportAboutf(callNode(c), hosts, "wrk.lookup of %s: load or connections may go to a host other than the target", what)
		}
	}
	for _, c := range callsTo(pass, "wrk.connect") {
		if !trustedAddrs(c.Arg(0)) {
			pass.Reportf(callNode(c), "wrk.connect to an address that does not come from wrk.lookup(wrk.host, ...)")
		}
	}
	for _, st := range pass.Stores() {
		if !isAddrStore(st) {
			continue
		}
		if !trustedAddrs(st.Value) {
			pass.Reportf(st.At, "thread.addr is set to an address that does not come from wrk.lookup(wrk.host, ...): the load goes elsewhere")
		}
	}
	targetFieldWrites(pass)
	for _, r := range proxiedRequests(pass) {
		if r.connect {
			pass.Reportf(r.at, "a CONNECT request to %q: a target that is a proxy opens a tunnel to that host and sends the load there", r.url)
			continue
		}
		pass.Reportf(r.at, "the request target is the absolute URL %q: a target that forwards it, as a proxy does, sends the load to that host instead of itself", r.url)
	}
	for _, at := range injectedLines(pass) {
		pass.Reportf(at, "a line break (CR/LF) in a header or the path injects lines into every request: it can add headers or smuggle a second request, to any host, past the target")
	}
	return nil
}

// injectedLines returns where a header name or value, or the request path,
// may hold CR or LF: wrk copies them into the request text as they are, so
// a line break there ends the header (or the request line) early and what
// follows is read as more headers or as a second request. Bodies are left
// alone: multipart and line-delimited bodies hold line breaks legitimately.
func injectedLines(pass *analyzer.Pass) []ast.Expr {
	var out []ast.Expr
	// The tables passed as wrk.format's headers, as a set: a script with
	// thousands of calls and stores must not compare each store with each
	// call.
	headerTables := map[*analyzer.Table]bool{}
	for _, c := range callsTo(pass, "wrk.format") {
		if lineBreak(c.Arg(1)) {
			out = append(out, argOrCall(c, 1))
		}
		for _, v := range c.Arg(2).Values() {
			if v.Kind == analyzer.KTable {
				headerTables[v.Table] = true
			}
		}
	}
	for _, st := range pass.Stores() {
		at := st.At // nil for a field of a table constructor
		if at == nil {
			at = st.ValueExpr
		}
		if at == nil {
			continue
		}
		if st.Object.HasLib("wrk") {
			if k, ok := st.Key.ConstString(); ok && k == "path" && lineBreak(st.Value) {
				out = append(out, at)
			}
			continue
		}
		if !lineBreak(st.Value) && !lineBreak(st.Key) {
			continue
		}
		if st.Object.HasLib("wrk.headers") || sharesTable(st.Object, headerTables) {
			out = append(out, at)
		}
	}
	return out
}

// argOrCall returns argument i's expression, or the call when it has none.
func argOrCall(c *analyzer.CallSite, i int) ast.Expr {
	if e := c.ArgExpr(i); e != nil {
		return e
	}
	return callNode(c)
}

// sharesTable reports whether obj may be one of tables.
func sharesTable(obj *analyzer.ValueSet, tables map[*analyzer.Table]bool) bool {
	for _, v := range obj.Values() {
		if v.Kind == analyzer.KTable && tables[v.Table] {
			return true
		}
	}
	return false
}

// lineBreak reports whether a value is known to hold CR or LF: a constant
// string, or the known prefix or suffix of a concatenation.
func lineBreak(vals *analyzer.ValueSet) bool {
	for _, v := range vals.Values() {
		prefix, suffix, ok := knownText(v)
		if ok && strings.ContainsAny(prefix+suffix, "\r\n") {
			return true
		}
	}
	return false
}

// knownText returns the text known of a string value: all of a constant
// (as prefix), or the known prefix and suffix of a concatenation.
func knownText(v analyzer.Value) (prefix, suffix string, ok bool) {
	switch v.Kind {
	case analyzer.KString:
		return v.Str, "", true
	case analyzer.KShape:
		prefix, suffix = v.Shape()
		return prefix, suffix, true
	}
	return "", "", false
}

// loopbackHost reports whether a URL's host[:port] is the local machine.
func loopbackHost(hostport string) bool {
	host := hostport
	if strings.HasPrefix(host, "[") {
		if i := strings.IndexByte(host, ']'); i > 0 {
			host = host[1:i]
		}
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || host == "::1" || host == "0.0.0.0" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
