package rules

import (
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
		"looks up a host other than wrk.host, or calls wrk.connect with such an address. That aims the load at a " +
		"host the operator did not name on the command line: a port scan, or a denial of service against a third party.",
	Help: "The legitimate pattern (wrk's `scripts/addr.lua`) spreads threads over the addresses of the target itself:\n\n" +
		"```lua\nlocal addrs = wrk.lookup(wrk.host, wrk.port or \"http\")\nfunction setup(thread)\n  thread.addr = addrs[math.random(#addrs)]\nend\n```\n\n" +
		"wrklint follows the lookup result through locals, upvalues, indexing, loops and `table.remove`. " +
		"Any other host belongs on the wrk command line, where the operator sees it.",
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
	return false
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
	return nil
}
