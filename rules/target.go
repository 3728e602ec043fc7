package rules

import (
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
	Description: "The script sets thread.addr to something other than an address from wrk.lookup(wrk.host, ...), " +
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

func isAddrStore(st analyzer.Store) bool {
	if st.Target == nil {
		return false
	}
	k, ok := st.Key.ConstString()
	return ok && k == "addr" && mayBeThread(st.Object)
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
			if s, ok := host.ConstString(); ok {
				what = "the host \"" + s + "\""
			}
			pass.Reportf(callNode(c), "wrk.lookup of %s: load or connections may go to a host other than the target", what)
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
			pass.Reportf(st.Target, "thread.addr is set to an address that does not come from wrk.lookup(wrk.host, ...): the load goes elsewhere")
		}
	}
	return nil
}
