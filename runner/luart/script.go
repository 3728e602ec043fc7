package luart

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"path/filepath"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"

	"github.com/wrklint/wrklint/internal/luasrc"

	"github.com/wrklint/wrklint/internal/redact"
	"github.com/wrklint/wrklint/runner"
	"github.com/wrklint/wrklint/runner/httpparse"

	"github.com/wrklint/wrklint/internal/lualib"
)

// Script is a loaded wrk script: the main state and the thread states. It
// implements runner.Script. Caps, NewThread, Prepare, Done and Close are
// called from one goroutine (the CLI's, then runner.Run's); each thread's
// hooks from its worker's goroutine.
type Script struct {
	opts     Options
	target   runner.Target
	path     string // chunk name, as given
	dir      string // where require looks for modules
	proto    *lua.FunctionProto
	seedBase uint64

	stdout, stderr *lockedWriter
	warnings       *warner
	wd             *watchdog

	main     *state
	threads  []*thread // prepared threads, by index
	prepared bool
	prepErr  error
	caps     runner.ScriptCaps

	// While done() runs, what it reads with thread:get is recorded for
	// wrkrun merge (ThreadValues).
	recording     bool
	recorded      map[int]map[string]json.RawMessage
	recordedBytes int
}

var (
	_ runner.Script       = (*Script)(nil)
	_ runner.ThreadScript = (*thread)(nil)
	_ runner.ThreadAddr   = (*thread)(nil)
)

// New compiles the script and runs its top level in the main state. A
// syntax error or an error at the top level is returned (wrk only prints
// those and runs without the script).
func New(path string, src []byte, opts Options) (*Script, error) {
	if opts.Threads < 1 {
		return nil, fmt.Errorf("lua runtime: %d threads", opts.Threads)
	}
	target, err := runner.ParseURL(opts.URL)
	if err != nil {
		return nil, fmt.Errorf("lua runtime: %w", err)
	}
	chunk, err := parseLuaJIT(src, path)
	if err != nil {
		return nil, err
	}
	// Numbers inside ".." are formatted as LuaJIT does (1e+15, not
	// 1000000000000000): see lualib.RewriteConcat.
	proto, err := lua.Compile(lualib.RewriteConcat(chunk), path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s := &Script{
		opts: opts, target: target, path: path, dir: filepath.Dir(path), proto: proto,
		seedBase: uint64(time.Now().UnixNano()),
		stdout:   newRedactingWriter(opts.Stdout, opts.Secrets),
		stderr:   newRedactingWriter(opts.Stderr, opts.Secrets),
		warnings: &warner{w: newRedactingWriter(opts.Warnings, opts.Secrets), seen: map[string]bool{}},
	}
	s.registerHeaders()
	s.wd = startWatchdog(opts.hookTimeout(), opts.memoryBudget(), opts.OnStuck)
	main, err := s.newState(0)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.main = main
	return s, nil
}

// parseLuaJIT parses a script or module as LuaJIT reads it: without its
// "#" line, with LuaJIT-only literals and escapes rewritten for
// gopher-lua's Lua 5.1 parser (luasrc.RuntimeSource).
func parseLuaJIT(src []byte, path string) ([]ast.Stmt, error) {
	body, err := luasrc.RuntimeSource(stripShebang(src))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	chunk, err := parse.Parse(bytes.NewReader(body), path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return chunk, nil
}

// stripShebang blanks a leading "#" line as LuaJIT's loader skips it,
// keeping the line count.
func stripShebang(src []byte) []byte {
	// LuaJIT's lexer skips a UTF-8 byte order mark first (scripts saved by
	// Windows editors start with one).
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if len(src) == 0 || src[0] != '#' {
		return src
	}
	if i := bytes.IndexByte(src, '\n'); i >= 0 {
		return src[i:]
	}
	return nil
}

// newState creates state idx with the libraries and runs the top level.
func (s *Script) newState(idx int) (*state, error) {
	st, err := s.newLState(idx)
	if err != nil {
		return nil, err
	}
	s.wd.add(st)
	st.ls.Push(st.ls.NewFunctionFromProto(s.proto))
	if err := st.pcall("top level", 0, 0); err != nil {
		return nil, err
	}
	return st, nil
}

// Prepare runs, once, what wrk does for thread 1 before the run: the
// thread state's top level, setup(thread) in the main state, init(args),
// then the start-up request() call that fixes the pipeline depth. It also
// decides the caps. Calling it before runner.Run reports script errors
// before the run starts.
func (s *Script) Prepare() error {
	if !s.prepared {
		s.prepared = true
		th, err := s.prepareThread(0)
		if err == nil {
			s.caps, err = s.detectCaps(th)
		}
		s.prepErr = err
	}
	return s.prepErr
}

// Caps reports the hooks thread 1 defines after init (runner.Script).
func (s *Script) Caps() runner.ScriptCaps {
	_ = s.Prepare() // an error is returned by NewThread(0)
	return s.caps
}

// NewThread returns thread i's hooks; threads are prepared in order.
func (s *Script) NewThread(i int) (runner.ThreadScript, error) {
	if err := s.Prepare(); err != nil {
		return nil, err
	}
	if i < len(s.threads) {
		return s.threads[i], nil
	}
	if i != len(s.threads) || i >= s.opts.Threads {
		return nil, fmt.Errorf("lua runtime: thread %d requested after %d of %d", i, len(s.threads), s.opts.Threads)
	}
	return s.prepareThread(i)
}

// prepareThread creates thread i's state, calls setup(thread) in the main
// state and init(args) in the thread's.
func (s *Script) prepareThread(i int) (*thread, error) {
	th := &thread{index: i}
	if s.opts.Addr != nil {
		cp := *s.opts.Addr
		th.addr = &cp
	}
	st, err := s.newState(i + 1)
	if err != nil {
		return nil, err
	}
	th.st, st.th = st, th
	st.wrk.RawSetString("thread", st.newThread(th))

	m := s.main
	if fn, ok := m.ls.G.Global.RawGetString("setup").(*lua.LFunction); ok {
		m.ls.Push(fn)
		m.ls.Push(m.newThread(th))
		if err := m.pcall("setup()", 1, 0); err != nil {
			return nil, err
		}
	}

	// wrk.init: the default Host header, the user's init(args), then the
	// static request built once and served by wrk.request().
	ls := st.ls
	if hdr, ok := st.wrk.RawGetString("headers").(*lua.LTable); ok && !lua.LVAsBool(hdr.RawGetString("Host")) {
		host, err := st.defaultHost()
		if err != nil {
			return nil, err
		}
		hdr.RawSetString("Host", lua.LString(host))
	}
	if fn, ok := ls.G.Global.RawGetString("init").(*lua.LFunction); ok {
		args := ls.CreateTable(len(s.opts.Args), 1)
		args.RawSetInt(0, lua.LString(s.opts.URL))
		for _, a := range s.opts.Args {
			args.Append(lua.LString(a))
		}
		ls.Push(fn)
		ls.Push(args)
		if err := st.pcall("init()", 1, 0); err != nil {
			return nil, err
		}
	}
	ls.Push(st.wrk.RawGetString("format"))
	if err := st.pcall("wrk.format()", 0, 1); err != nil {
		return nil, err
	}
	static := ls.Get(-1)
	ls.Pop(1)
	st.wrk.RawSetString("request", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(static)
		return 1
	}))
	// wrk's event loop clears the stop flag when it starts, so stop() in
	// setup or init has no effect.
	th.stopped = false
	s.threads = append(s.threads, th)
	return th, nil
}

// detectCaps records which hooks thread 1 has after init and calls its
// request() (or wrk.request()) once to count the pipelined requests, as
// wrk does; this consumes one request() call on thread 1, as in wrk.
func (s *Script) detectCaps(th *thread) (runner.ScriptCaps, error) {
	g := th.st.ls.G.Global
	_, req := g.RawGetString("request").(*lua.LFunction)
	_, resp := g.RawGetString("response").(*lua.LFunction)
	_, delay := g.RawGetString("delay").(*lua.LFunction)
	caps := runner.ScriptCaps{Request: req, Response: resp, Delay: delay}
	var b []byte
	var err error
	if req {
		b, err = th.Request(nil)
	} else {
		b, err = th.StaticRequest()
	}
	if errors.Is(err, errNotString) {
		// wrk's lua_tolstring gives an empty request for nil or a
		// table, which fails the check below ("incomplete request").
		b, err = nil, nil
	}
	if err != nil {
		return caps, err
	}
	n, err := httpparse.CheckRequest(b)
	if err != nil {
		return caps, fmt.Errorf("%s: request(): %w", s.path, err)
	}
	caps.Depth = n
	return caps, nil
}

// callGlobal pushes global name if it is a function.
func (st *state) pushGlobal(name string) bool {
	fn, ok := st.ls.G.Global.RawGetString(name).(*lua.LFunction)
	if ok {
		st.ls.Push(fn)
	}
	return ok
}

// StaticRequest returns wrk.request(): the request built after init.
func (th *thread) StaticRequest() ([]byte, error) {
	st := th.st
	fn := st.wrk.RawGetString("request")
	if fn.Type() != lua.LTFunction {
		return nil, &HookError{Hook: "wrk.request()", Thread: st.idx, Msg: "wrk.request is not a function"}
	}
	st.ls.Push(fn)
	return th.result("wrk.request()", nil)
}

// Request calls request() and appends its string to dst[:0].
func (th *thread) Request(dst []byte) ([]byte, error) {
	if !th.st.pushGlobal("request") {
		return nil, &HookError{Hook: "request()", Thread: th.st.idx, Msg: "request is no longer a function"}
	}
	return th.result("request()", dst)
}

// result calls the pushed function and appends the string it returns.
func (th *thread) result(hook string, dst []byte) ([]byte, error) {
	st := th.st
	if err := st.pcall(hook, 0, 1); err != nil {
		return nil, err
	}
	v := st.ls.Get(-1)
	st.ls.Pop(1)
	switch v := v.(type) {
	case lua.LString:
		return append(dst[:0], v...), nil
	case lua.LNumber:
		return append(dst[:0], lualib.FormatNumber(float64(v))...), nil
	}
	return nil, &notStringError{HookError{Hook: hook, Thread: st.idx, Msg: fmt.Sprintf("%s returned %s, want a string", hook, v.Type())}}
}

// errNotString marks a request() result that is neither a string nor a
// number.
var errNotString = errors.New("request() result is not a string")

type notStringError struct{ HookError }

func (e *notStringError) Unwrap() error { return errNotString }

// Response calls response(status, headers, body). The headers table has
// the server's names; the last of duplicate names wins, as in wrk.
func (th *thread) Response(r *runner.Response) error {
	st := th.st
	fn, ok := st.ls.G.Global.RawGetString("response").(*lua.LFunction)
	if !ok {
		return nil // response = nil after the start: nothing to call
	}
	ls := st.ls
	ls.Push(fn)
	// Boxing a number or a string into an LValue allocates; a benchmark
	// sees the same status and, often, the same body again and again.
	if st.lastStatusVal == nil || st.lastStatus != r.Status {
		st.lastStatus, st.lastStatusVal = r.Status, lua.LNumber(r.Status)
	}
	ls.Push(st.lastStatusVal)
	// A Lua function cannot see parameters it does not declare (unless it
	// is variadic), so the costly headers table and body string are only
	// built when it can; "function response() ... end" stays cheap.
	params := 3
	if p := fn.Proto; p != nil && !fn.IsG && p.IsVarArg == 0 {
		params = int(p.NumParameters)
	}
	if params >= 2 {
		ls.Push(st.newHeaders(r.Headers, r.HTTP2))
	} else {
		ls.Push(lua.LNil)
	}
	if params >= 3 {
		ls.Push(st.body(r.Body))
	} else {
		ls.Push(lua.LNil)
	}
	return st.pcall("response()", 3, 0)
}

// maxSharedBody bounds the body kept for the next response to compare
// with: comparing costs what copying does, and a huge body should not
// stay alive after the script dropped it.
const maxSharedBody = 64 << 10

// body is b as a Lua string: the previous response's string when the bytes
// are the same (strings are values in Lua, so sharing one is invisible).
func (st *state) body(b []byte) lua.LValue {
	if last, ok := st.lastBody.(lua.LString); ok && string(last) == string(b) {
		return st.lastBody
	}
	v := lua.LValue(lua.LString(b))
	if len(b) <= maxSharedBody {
		st.lastBody = v
	} else {
		st.lastBody = nil
	}
	return v
}

// Delay calls delay(): milliseconds, fraction truncated; anything but a
// positive number means no delay.
func (th *thread) Delay() (time.Duration, error) {
	st := th.st
	if !st.pushGlobal("delay") {
		return 0, nil
	}
	if err := st.pcall("delay()", 0, 1); err != nil {
		return 0, err
	}
	v := st.ls.Get(-1)
	st.ls.Pop(1)
	n, ok := v.(lua.LNumber)
	if !ok || n <= 0 || math.IsNaN(float64(n)) {
		return 0, nil
	}
	return time.Duration(int64(n)) * time.Millisecond, nil
}

// Stopped reports whether the script called thread:stop() during the run.
func (th *thread) Stopped() bool { return th.stopped }

// Addr is the address this thread connects to: setup() may have changed
// it through thread.addr. Nil means the run's default.
func (th *thread) Addr() *net.TCPAddr { return th.addr }

// Done calls done(summary, latency, requests) in the main state, if the
// script defines it.
func (s *Script) Done(r Result) error {
	m := s.main
	if !m.pushGlobal("done") {
		return nil
	}
	m.ls.Push(m.summaryTable(&r))
	m.ls.Push(m.newStats(r.Latency))
	m.ls.Push(m.newStats(r.Rate))
	s.recording = true
	defer func() { s.recording = false }()
	defer s.FlushOutput()
	return m.pcall("done()", 3, 0)
}

// maxRecorded bounds the bytes of thread values a result carries.
const maxRecorded = 8 << 20

// record keeps what done() read from thread i's global name, encoded.
// A value that cannot be encoded, or one past the size bound, is left out
// with a warning: merge's done() then reads nil for it.
func (s *Script) record(i int, name string, v lua.LValue, at string) {
	// The limit applies while encoding: a table holding one big string
	// many times encodes to many times its size.
	raw, err := EncodeValueLimit(v, maxRecorded-s.recordedBytes+len(s.recorded[i][name]))
	if errors.Is(err, errTooLarge) || err == nil && s.recordedBytes+len(raw) > maxRecorded {
		err = fmt.Errorf("the recorded thread values exceed %d MiB", maxRecorded>>20)
	}
	if err != nil {
		s.warnings.note(fmt.Sprintf("%s: thread:get(%q) is not recorded for wrkrun merge: %v", at, name, err))
		return
	}
	if s.recorded == nil {
		s.recorded = map[int]map[string]json.RawMessage{}
	}
	if s.recorded[i] == nil {
		s.recorded[i] = map[string]json.RawMessage{}
	}
	s.recordedBytes += len(raw) - len(s.recorded[i][name])
	s.recorded[i][name] = raw
}

// ThreadValues returns what done() read with thread:get, by thread index.
func (s *Script) ThreadValues() map[int]map[string]json.RawMessage { return s.recorded }

// ReplayThread is one thread of a finished run as wrkrun merge restores it:
// the values its done() read.
type ReplayThread struct {
	Values map[string]json.RawMessage
}

// NewReplay loads the script for a merged done(): the top level runs in the
// main state, then setup(thread) once for every thread of every shard, each
// thread holding the values recorded for it, so that done() finds the
// threads it kept and reads what the shards' done() read. init, request
// and response do not run.
func NewReplay(path string, src []byte, opts Options, threads []ReplayThread) (*Script, error) {
	opts.Threads = max(len(threads), 1)
	opts.Merged = true
	opts.Addr = nil
	s, err := New(path, src, opts)
	if err != nil {
		return nil, err
	}
	setup, _ := s.main.ls.G.Global.RawGetString("setup").(*lua.LFunction)
	for i, rt := range threads {
		st, err := s.newLState(i + 1)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.wd.add(st)
		th := &thread{index: i, st: st}
		st.th = th
		for name, raw := range rt.Values {
			v, err := DecodeValue(st.ls, raw)
			if err != nil {
				s.Close()
				return nil, fmt.Errorf("thread %d, value %q: %w", i+1, name, err)
			}
			st.ls.G.Global.RawSetString(name, v)
		}
		s.threads = append(s.threads, th)
		if setup == nil {
			continue
		}
		m := s.main
		m.ls.Push(setup)
		m.ls.Push(m.newThread(th))
		if err := m.pcall("setup()", 1, 0); err != nil {
			s.Close()
			return nil, err
		}
	}
	s.prepared = true
	return s, nil
}

// HasDone reports whether the script defines done().
func (s *Script) HasDone() bool {
	_, ok := s.main.ls.G.Global.RawGetString("done").(*lua.LFunction)
	return ok
}

// Close stops the watchdog and releases every state. The Script must not
// be used afterwards.
func (s *Script) Close() {
	s.FlushOutput()
	for _, st := range s.wd.close() {
		st.close()
	}
}

// lockedWriter serialises writes from several thread states and, when
// the run redacts, passes them through one redactor (see defense.go).
type lockedWriter struct {
	mu  sync.Mutex
	w   io.Writer
	red *redact.Writer // nil: no redaction
}

func newLockedWriter(w io.Writer) *lockedWriter { return newRedactingWriter(w, nil) }

// newRedactingWriter is a lockedWriter masking secrets' values; nil
// secrets: no redaction.
func newRedactingWriter(w io.Writer, secrets *redact.Set) *lockedWriter {
	if w == nil {
		w = io.Discard
	}
	l := &lockedWriter{w: w}
	if secrets != nil {
		l.red = redact.NewWriter(w, secrets)
		l.w = l.red
	}
	return l
}

// WriteString writes s and returns how many secrets the redactor masked
// (in s or in text it held back before).
func (l *lockedWriter) WriteString(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.red == nil {
		_, _ = io.WriteString(l.w, s) // like print, script output ignores write errors
		return 0
	}
	before := l.red.Redactions()
	_, _ = l.red.WriteString(s)
	return int(l.red.Redactions() - before)
}

// warner prints each sandbox denial once per call site.
type warner struct {
	w    *lockedWriter
	mu   sync.Mutex
	seen map[string]bool
}

func (s *Script) warn(at, call, allow string) {
	w := s.warnings
	key := at + "\x00" + call
	w.mu.Lock()
	dup := w.seen[key]
	w.seen[key] = true
	w.mu.Unlock()
	if !dup {
		w.w.WriteString(fmt.Sprintf("wrkrun: %s denied at %s — allow it with %s\n", call, at, allow))
	}
}

// note prints a warning line once.
func (w *warner) note(msg string) {
	w.mu.Lock()
	dup := w.seen[msg]
	w.seen[msg] = true
	w.mu.Unlock()
	if !dup {
		w.w.WriteString("wrkrun: warning: " + msg + "\n")
	}
}
