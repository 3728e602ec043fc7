// Package peval evaluates a wrk script partially: it runs the script's top
// level and hooks in a Lua state that has only pure libraries and a stub of
// wrk's API, and records the strings the script hands to wrk (header values,
// bodies, paths, request() results, thread:set values). wrklint applies its
// credential detector to them, so a secret the script decodes itself
// (base64, hex, XOR, reversed or joined pieces) is found although no literal
// holds it.
//
// The script is hostile input. The state has no os, io, debug, load*,
// require (but for bit) or dofile; every run is bounded by a deadline and by
// the state's own string and table limits. Whatever the script does past
// those bounds is abandoned, never waited for.
//
// Only strings that derive from the script's constants matter: the script
// runs twice with different stand-ins for everything that varies at run
// time (the clock, random numbers, the environment, the target, responses),
// and only what both runs emit identically is kept.
package peval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/internal/lualib"
)

// Emission is a string the script handed to wrk.
type Emission struct {
	// Line is the script line of the call or assignment that handed it over.
	Line int
	// Via says how: "wrk.format", "wrk.headers", "wrk.body", "thread:set",
	// "request()".
	Via string
	// Key is the header, field or thread:set name when there is one.
	Key string
	// Value is the string.
	Value string
}

// Options bound an evaluation.
type Options struct {
	// Budget is the wall time for both runs together.
	Budget time.Duration
	// MaxEmissions caps what is recorded per run.
	MaxEmissions int
	// Limits bound every string and table the script builds through the
	// library; zero fields take lualib's defaults scaled down below.
	Limits lualib.Limits
	// Wanted, if set, says which emissions the caller will look at. When
	// the first run emitted none of them, the second run cannot add one
	// (Run keeps only what both runs emitted) and is skipped. It must
	// judge each emission on its own.
	Wanted func(Emission) bool
}

func (o Options) withDefaults() Options {
	if o.Budget <= 0 {
		// Wall time is the only bound on the VM's own loops; decoders
		// finish in a few milliseconds, but on a loaded machine (CI, seven
		// linters on two cores) 50 ms a run cut them short now and then,
		// and a finding that comes and goes is worse than a slower hostile
		// file.
		o.Budget = 400 * time.Millisecond
	}
	if o.MaxEmissions <= 0 {
		o.MaxEmissions = 256
	}
	// The evaluator runs inside wrklint (pre-commit, an editor): its bounds
	// are its own and far below a load test's.
	if o.Limits.MaxString <= 0 {
		o.Limits.MaxString = 1 << 20
	}
	if o.Limits.MaxTable <= 0 {
		o.Limits.MaxTable = 1 << 16
	}
	if o.Limits.MaxSteps <= 0 {
		o.Limits.MaxSteps = 1 << 20
	}
	return o
}

// hooksInOrder are the hooks wrk calls, in the order a run calls them.
var hooksInOrder = []string{"setup", "init", "delay", "request", "response", "request", "done"}

// requestCalls is how often hooksInOrder calls request().
const requestCalls = 2

// Run evaluates chunk (already parsed; decode gives the LuaJIT value of
// each string literal, as gopher-lua decodes escapes the Lua 5.1 way) and
// returns what both runs emitted identically, and of values the runs
// handed over at the same place but differently, the tokens they agree on
// (agreedParts). Errors raised by the script
// end the hook they happen in, not the evaluation.
func Run(ctx context.Context, name string, chunk []ast.Stmt, decode func(*ast.StringExpr) string, opt Options) ([]Emission, error) {
	opt = opt.withDefaults()
	proto, err := compile(name, chunk, decode)
	if err != nil {
		return nil, err
	}
	// Each run has half the budget, so a script that loops for ever
	// still gets its second run and what it emitted before looping counts.
	first := runBounded(ctx, proto, 1, opt)
	if len(first) == 0 || ctx.Err() != nil || !anyWanted(first, opt.Wanted) {
		return nil, nil
	}
	second := runBounded(ctx, proto, 2, opt)
	seen := make(map[Emission]bool, len(second))
	for _, e := range second {
		seen[e] = true
	}
	var out []Emission
	var unmatched []Emission
	for _, e := range first {
		if seen[e] {
			out = append(out, e)
			delete(seen, e)
		} else {
			unmatched = append(unmatched, e)
		}
	}
	return append(out, agreedParts(unmatched, seen)...), nil
}

// agreedParts keeps what two different values handed over at the same
// place (line, via, key) agree on: the runs of whole tokens both share,
// at the start, at the end, and between parts that vary when both split
// into as many tokens. A key in a URL between a random id and a
// timestamp ("?id=17&key=...&t=1700001000") is a constant of the script;
// a token that touches the part that varies (password=pass0001) is not.
func agreedParts(first []Emission, second map[Emission]bool) []Emission {
	if len(first) == 0 || len(second) == 0 {
		return nil
	}
	type place struct {
		line     int
		via, key string
	}
	others := map[place][]string{}
	for e := range second {
		p := place{e.Line, e.Via, e.Key}
		others[p] = append(others[p], e.Value)
	}
	var out []Emission
	kept := map[Emission]bool{}
	for _, e := range first {
		for _, v := range others[place{e.Line, e.Via, e.Key}] {
			for _, part := range commonRuns(e.Value, v) {
				x := Emission{Line: e.Line, Via: e.Via, Key: e.Key, Value: part}
				if len(part) >= minAgreed && !kept[x] && len(out) < maxAgreed {
					kept[x] = true
					out = append(out, x)
				}
			}
		}
	}
	return out
}

// minAgreed is the shortest agreed part worth judging: no credential the
// detector knows is shorter. maxAgreed bounds what one evaluation keeps.
const (
	minAgreed = 8
	maxAgreed = 256
)

// tokens splits s into words (runs of letters, digits, - and _) and
// single separators; joined, they are s.
func tokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		j := i + 1
		if !boundary(s[i]) {
			for j < len(s) && !boundary(s[j]) {
				j++
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

// commonRuns returns the runs of tokens a and b share: their common start
// and end, and in between, when both have as many tokens left, each run
// of tokens equal at the same position.
func commonRuns(a, b string) []string {
	ta, tb := tokens(a), tokens(b)
	i := 0
	for i < len(ta) && i < len(tb) && ta[i] == tb[i] {
		i++
	}
	if i == len(ta) && i == len(tb) {
		return []string{a}
	}
	j := 0
	for j < len(ta)-i && j < len(tb)-i && ta[len(ta)-1-j] == tb[len(tb)-1-j] {
		j++
	}
	out := []string{strings.Join(ta[:i], "")}
	ma, mb := ta[i:len(ta)-j], tb[i:len(tb)-j]
	if len(ma) == len(mb) {
		run := 0
		for k := 0; k <= len(ma); k++ {
			if k < len(ma) && ma[k] == mb[k] {
				continue
			}
			if k > run {
				out = append(out, strings.Join(ma[run:k], ""))
			}
			run = k + 1
		}
	}
	return append(out, strings.Join(ta[len(ta)-j:], ""))
}

// boundary reports whether c separates tokens: not a character of a
// word, a number or a generated token (letters, digits, - and _).
func boundary(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		return false
	}
	return true
}

// anyWanted reports whether wanted (nil: everything) accepts one of es.
func anyWanted(es []Emission, wanted func(Emission) bool) bool {
	if wanted == nil {
		return len(es) > 0
	}
	for _, e := range es {
		if wanted(e) {
			return true
		}
	}
	return false
}

// compile compiles chunk with LuaJIT's string values. The AST is shared
// with the analyzer, so the literals are restored before returning.
func compile(name string, chunk []ast.Stmt, decode func(*ast.StringExpr) string) (proto *lua.FunctionProto, err error) {
	var lits []*ast.StringExpr
	var olds []string
	if decode != nil {
		walkStrings(chunk, func(s *ast.StringExpr) {
			if v := decode(s); v != s.Value {
				lits = append(lits, s)
				olds = append(olds, s.Value)
				s.Value = v
			}
		})
	}
	defer func() {
		for i, s := range lits {
			s.Value = olds[i]
		}
		// gopher-lua's compiler panics on a few malformed trees; a
		// script that cannot be compiled is simply not evaluated.
		if r := recover(); r != nil {
			proto, err = nil, fmt.Errorf("peval: compiling %s: %v", name, r)
		}
	}()
	return lua.Compile(chunk, name)
}

// run is one evaluation: the state, what it recorded, and the stand-ins
// that differ between the two runs.
type run struct {
	ls      *lua.LState
	n       int
	out     []Emission
	max     int
	chunk   string
	wrk     *lua.LTable
	headers *lua.LTable
	// seen holds key and value of what was emitted: the same header seen
	// again after every hook is recorded once, where it first appeared.
	seen map[[2]string]bool
	// formatted holds what the wrk.format stub returned: a request()
	// result that is one of them was recorded part by part already.
	formatted map[string]bool
	// muted drops emissions during the second run's extra request().
	muted bool
}

func runBounded(ctx context.Context, proto *lua.FunctionProto, n int, opt Options) []Emission {
	ctx, cancel := context.WithTimeout(ctx, opt.Budget/2)
	defer cancel()
	return runOnce(ctx, proto, n, opt)
}

func runOnce(ctx context.Context, proto *lua.FunctionProto, n int, opt Options) []Emission {
	ls := lualib.NewPureState(ctx, opt.Limits)
	defer ls.Close()
	// os.date, whose calls for a given time in UTC install keeps (the
	// rest of os is replaced by stubs there).
	lualib.Open(ls, opt.Limits, lualib.OS)
	r := &run{ls: ls, n: n, max: opt.MaxEmissions, chunk: proto.SourceName}
	// A panic inside gopher-lua's VM on hostile input ends this run only.
	defer func() { _ = recover() }()
	r.install()
	fn := ls.NewFunctionFromProto(proto)
	ok := r.call(ctx, fn)
	r.scanWrk(1)
	if !ok {
		return r.out
	}
	thread := r.threadStub()
	warmed := false
	for _, hook := range hooksInOrder {
		if ctx.Err() != nil || len(r.out) >= r.max {
			break
		}
		f, ok := ls.GetGlobal(hook).(*lua.LFunction)
		if !ok {
			continue
		}
		var args []lua.LValue
		switch hook {
		case "setup":
			args = []lua.LValue{thread}
		case "init":
			args = []lua.LValue{ls.NewTable()}
		case "response":
			h := ls.NewTable()
			h.RawSetString("Content-Type", lua.LString("text/plain; run="+strconv.Itoa(n)))
			args = []lua.LValue{lua.LNumber(200), h, lua.LString("response body of run " + strconv.Itoa(n))}
		case "done":
			args = []lua.LValue{r.statsStub(), r.statsStub(), r.statsStub()}
		}
		line := 1
		if f.Proto != nil && f.Proto.LineDefined > 0 {
			line = f.Proto.LineDefined
		}
		if hook == "request" && r.n == 2 && !warmed {
			// Before recording, the second run calls request() as often as
			// a run records it, so a value that depends on how often it
			// was called (a counter, user00001) never repeats between the
			// runs and is dropped, while a constant the script decodes
			// stays the same.
			warmed = true
			r.muted = true
			for range requestCalls {
				r.callResults(ctx, f)
			}
			r.muted = false
		}
		results, ok := r.callResults(ctx, f, args...)
		if ok && hook == "request" && len(results) > 0 {
			if s, isStr := results[0].(lua.LString); isStr && !r.formatted[string(s)] {
				r.emit(line, "request()", "", string(s))
			}
		}
		r.scanWrk(line)
	}
	return r.out
}

// call runs fn protected; it reports whether fn returned normally.
func (r *run) call(ctx context.Context, fn *lua.LFunction, args ...lua.LValue) bool {
	_, ok := r.callResults(ctx, fn, args...)
	return ok
}

func (r *run) callResults(ctx context.Context, fn *lua.LFunction, args ...lua.LValue) (res []lua.LValue, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	if ctx.Err() != nil {
		return nil, false
	}
	ls := r.ls
	top := ls.GetTop()
	ls.Push(fn)
	for _, a := range args {
		ls.Push(a)
	}
	if err := lualib.PCall(ls, len(args), lua.MultRet); err != nil {
		ls.SetTop(top)
		return nil, false
	}
	for i := top + 1; i <= ls.GetTop(); i++ {
		res = append(res, ls.Get(i))
	}
	ls.SetTop(top)
	return res, true
}

// emit records one string, at most max per run.
func (r *run) emit(line int, via, key, value string) {
	if r.muted || len(r.out) >= r.max || value == "" || r.seen[[2]string{key, value}] {
		return
	}
	if r.seen == nil {
		r.seen = map[[2]string]bool{}
	}
	r.seen[[2]string{key, value}] = true
	r.out = append(r.out, Emission{Line: line, Via: via, Key: key, Value: value})
}

// where is the script line of the Lua code that called the Go function
// running now, or 0.
func (r *run) where() int {
	w := r.ls.Where(1) // "chunk:line:"
	w = strings.TrimSuffix(w, ":")
	i := strings.LastIndexByte(w, ':')
	if i < 0 || w[:i] != r.chunk {
		return 0
	}
	line, err := strconv.Atoi(w[i+1:])
	if err != nil {
		return 0
	}
	return line
}

// install sets the stand-ins for wrk's globals and for the run-time
// inputs a pure state lacks.
func (r *run) install() {
	ls := r.ls
	n := strconv.Itoa(r.n)

	// wrk: its fields live in store; the proxy records what is assigned.
	store := ls.NewTable()
	store.RawSetString("scheme", lua.LString("http"))
	store.RawSetString("host", lua.LString("target-"+n+".invalid"))
	store.RawSetString("port", lua.LString(strconv.Itoa(8000+r.n)))
	store.RawSetString("method", lua.LString("GET"))
	store.RawSetString("path", lua.LString("/"))
	r.headers = r.headersProxy(ls.NewTable())
	store.RawSetString("headers", r.headers)
	store.RawSetString("format", ls.NewFunction(r.format))
	store.RawSetString("lookup", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(ls.NewTable())
		return 1
	}))
	store.RawSetString("connect", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(lua.LFalse)
		return 1
	}))
	wrk := ls.NewTable()
	meta := ls.NewTable()
	meta.RawSetString("__index", store)
	meta.RawSetString("__newindex", ls.NewFunction(func(ls *lua.LState) int {
		key, val := ls.Get(2), ls.Get(3)
		k, _ := key.(lua.LString)
		line := r.where()
		switch v := val.(type) {
		case lua.LString:
			r.emit(line, "wrk."+string(k), string(k), string(v))
		case *lua.LTable:
			if k == "headers" {
				r.emitTable(line, "wrk.headers", v)
				val = r.headersProxy(v)
			}
		}
		store.RawSet(key, val)
		return 0
	}))
	ls.SetMetatable(wrk, meta)
	r.wrk = store
	ls.SetGlobal("wrk", wrk)

	// What varies between runs: clock, environment, randomness. os.date
	// of a given time in UTC (os.date("!%Y", 0)) reads neither the clock
	// nor the time zone: that call is the library's.
	var pureDate = lua.LNil // an LValue
	if t, ok := ls.GetGlobal("os").(*lua.LTable); ok {
		pureDate = t.RawGetString("date")
	}
	osT := ls.NewTable()
	osT.RawSetString("time", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(lua.LNumber(1_700_000_000 + 1_000*r.n))
		return 1
	}))
	osT.RawSetString("clock", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(lua.LNumber(float64(r.n) / 10))
		return 1
	}))
	osT.RawSetString("date", ls.NewFunction(func(ls *lua.LState) int {
		if f, ok := ls.Get(1).(lua.LString); ok && strings.HasPrefix(string(f), "!") && ls.Get(2) != lua.LNil && pureDate != lua.LNil {
			ls.Push(pureDate)
			ls.Push(f)
			ls.Push(ls.Get(2))
			ls.Call(2, 1)
			return 1
		}
		ls.Push(lua.LString("date-" + n))
		return 1
	}))
	osT.RawSetString("getenv", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(lua.LString("env-" + n + "-" + ls.OptString(1, "")))
		return 1
	}))
	ls.SetGlobal("os", osT)
	if math, ok := ls.GetGlobal("math").(*lua.LTable); ok {
		// Random numbers differ between the runs, whatever the script
		// seeds them with.
		rnd := rand.New(rand.NewPCG(uint64(r.n), 0x9e3779b97f4a7c15)) //nolint:gosec // G404: stand-in values for the script, nothing secret
		math.RawSetString("random", ls.NewFunction(func(ls *lua.LState) int {
			switch ls.GetTop() {
			case 0:
				ls.Push(lua.LNumber(rnd.Float64()))
			case 1:
				ls.Push(lua.LNumber(1 + rnd.Int64N(max(1, int64(ls.CheckNumber(1))))))
			default:
				lo, hi := int64(ls.CheckNumber(1)), int64(ls.CheckNumber(2))
				ls.Push(lua.LNumber(lo + rnd.Int64N(max(1, hi-lo+1))))
			}
			return 1
		}))
		math.RawSetString("randomseed", ls.NewFunction(func(*lua.LState) int { return 0 }))
	}
	ls.SetGlobal("print", ls.NewFunction(func(*lua.LState) int { return 0 }))
	// require of the libraries the state has (local bit = require("bit"));
	// any other module is out of reach and fails, as a missing one does.
	ls.SetGlobal("require", ls.NewFunction(func(ls *lua.LState) int {
		name := ls.CheckString(1)
		switch name {
		case "bit", "string", "table", "math", "os":
			if m, ok := ls.GetGlobal(name).(*lua.LTable); ok {
				ls.Push(m)
				return 1
			}
		}
		ls.RaiseError("module '%s' not found", name)
		return 0
	}))
}

// headersProxy returns a table that records every value assigned to it,
// holding its entries in t.
func (r *run) headersProxy(t *lua.LTable) *lua.LTable {
	ls := r.ls
	p := ls.NewTable()
	meta := ls.NewTable()
	meta.RawSetString("__index", t)
	meta.RawSetString("__newindex", ls.NewFunction(func(ls *lua.LState) int {
		key, val := ls.Get(2), ls.Get(3)
		if k, ok := key.(lua.LString); ok {
			if v, ok := val.(lua.LString); ok {
				r.emit(r.where(), "wrk.headers", string(k), string(v))
			}
		}
		t.RawSet(key, val)
		return 0
	}))
	// pairs() over the proxy must see the entries (wrk.format does).
	meta.RawSetString("__pairs", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(ls.GetGlobal("next"))
		ls.Push(t)
		ls.Push(lua.LNil)
		return 3
	}))
	ls.SetMetatable(p, meta)
	return p
}

// emitTable records the string values of a table with string keys.
func (r *run) emitTable(line int, via string, t *lua.LTable) {
	t.ForEach(func(k, v lua.LValue) {
		ks, ok1 := k.(lua.LString)
		vs, ok2 := v.(lua.LString)
		if ok1 && ok2 {
			r.emit(line, via, string(ks), string(vs))
		}
	})
}

// scanWrk records what a hook (defined at line) left in wrk's fields by
// paths the proxies do not see (rawset, tables changed after assignment).
func (r *run) scanWrk(line int) {
	if body, ok := r.wrk.RawGetString("body").(lua.LString); ok {
		r.emit(line, "wrk.body", "body", string(body))
	}
	if h, ok := r.wrk.RawGetString("headers").(*lua.LTable); ok {
		r.emitTable(line, "wrk.headers", r.unproxy(h))
	}
}

// unproxy returns the table holding a headers proxy's entries, or t.
func (r *run) unproxy(t *lua.LTable) *lua.LTable {
	if mt, ok := r.ls.GetMetatable(t).(*lua.LTable); ok {
		if inner, ok := mt.RawGetString("__index").(*lua.LTable); ok && mt.RawGetString("__pairs") != lua.LNil {
			return inner
		}
	}
	return t
}

// format stands in for wrk.format: it records the header values, path and
// body it is given and builds the request text as wrk does.
func (r *run) format(ls *lua.LState) int {
	line := r.where()
	method := ls.OptString(1, "GET")
	path := ls.OptString(2, "/")
	r.emit(line, "wrk.format", "path", path)
	var b strings.Builder
	b.WriteString(method + " " + path + " HTTP/1.1\r\n")
	if h, ok := ls.Get(3).(*lua.LTable); ok {
		r.unproxy(h).ForEach(func(k, v lua.LValue) {
			ks, vs := lua.LVAsString(k), lua.LVAsString(v)
			r.emit(line, "wrk.format", ks, vs)
			if b.Len() < 1<<16 {
				b.WriteString(ks + ": " + vs + "\r\n")
			}
		})
	}
	body := ""
	if s, ok := ls.Get(4).(lua.LString); ok {
		body = string(s)
		r.emit(line, "wrk.format", "body", body)
	}
	b.WriteString("\r\n")
	if len(body) < 1<<16 {
		b.WriteString(body)
	}
	if r.formatted == nil {
		r.formatted = map[string]bool{}
	}
	if len(r.formatted) < r.max {
		r.formatted[b.String()] = true
	}
	ls.Push(lua.LString(b.String()))
	return 1
}

// threadStub stands in for setup()'s thread: set records, get returns
// what was set, addr and stop exist.
func (r *run) threadStub() *lua.LTable {
	ls := r.ls
	values := ls.NewTable()
	t := ls.NewTable()
	t.RawSetString("id", lua.LNumber(1))
	t.RawSetString("addr", lua.LString("127.0.0.1:"+strconv.Itoa(8000+r.n)))
	t.RawSetString("set", ls.NewFunction(func(ls *lua.LState) int {
		k, v := ls.Get(2), ls.Get(3)
		if s, ok := v.(lua.LString); ok {
			r.emit(r.where(), "thread:set", lua.LVAsString(k), string(s))
		}
		values.RawSet(k, v)
		// wrk's thread:set sets a global of the thread's state, which
		// init, request and response then read by name; the one state
		// here plays both.
		if name, ok := k.(lua.LString); ok {
			ls.SetGlobal(string(name), v)
		}
		return 0
	}))
	t.RawSetString("get", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(values.RawGet(ls.Get(2)))
		return 1
	}))
	t.RawSetString("stop", ls.NewFunction(func(*lua.LState) int { return 0 }))
	return t
}

// statsStub stands in for done()'s summary, latency and requests.
func (r *run) statsStub() *lua.LTable {
	ls := r.ls
	t := ls.NewTable()
	for _, k := range []string{"min", "max", "mean", "stdev", "duration", "requests", "bytes"} {
		t.RawSetString(k, lua.LNumber(r.n))
	}
	t.RawSetString("percentile", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(lua.LNumber(r.n))
		return 1
	}))
	errs := ls.NewTable()
	for _, k := range []string{"connect", "read", "write", "status", "timeout"} {
		errs.RawSetString(k, lua.LNumber(0))
	}
	t.RawSetString("errors", errs)
	return t
}

// walkStrings calls f for every string literal in the chunk.
func walkStrings(stmts []ast.Stmt, f func(*ast.StringExpr)) {
	w := &walker{f: f}
	w.stmts(stmts)
}
