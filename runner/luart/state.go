package luart

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"

	lua "github.com/yuin/gopher-lua"

	"github.com/wrklint/wrklint/internal/lualib"
	"github.com/wrklint/wrklint/runner/policy"
)

// state is one Lua state: the main state (idx 0) or a thread's (idx i+1).
// Its methods run on one goroutine at a time (Script's contract); only seq
// and cancel are touched by the watchdog.
type state struct {
	s   *Script
	ls  *lua.LState
	idx int
	wrk *lua.LTable // the runtime table, as wrk.lua's upvalue (not the global)
	rnd *rand.Rand
	pcg *rand.PCG // rnd's source, reseeded by math.randomseed
	th  *thread   // nil in the main state
	// protect makes the hook calls: a PCall without gopher-lua's
	// traceback, whose cost is quadratic in the call depth (over a second
	// after a stack overflow, which the watchdog then misreports as a
	// timeout). It costs one Go call frame (~60 ns) per hook call.
	protect *lualib.Caller
	ctx     context.Context
	cancel  context.CancelCauseFunc
	// seq is odd while a call into Lua runs; the watchdog reads it.
	seq    atomic.Uint64
	broken error  // set after a recovered Go panic or a cancellation: the state is unusable
	hook   string // the hook running now, for the audit log

	threadMeta, addrMeta, statsMeta *lua.LTable
	loaded                          *lua.LTable // package.loaded
	// Lazy response headers (headers.go): the proxies' shared functions,
	// and the metatable and copy of the last response's headers.
	lazyIndex, lazyNewIndex *lua.LFunction
	lazyMeta                *lua.LTable
	lazyLast                *lazyHeaders
	foldMeta                *lua.LTable // HTTP/2 headers once realized (headers.go)
	// Response's arguments kept from one call to the next: the boxed
	// status codes, and the last body as a Lua string.
	lastStatus    int
	lastStatusVal lua.LValue
	lastBody      lua.LValue

	// io's default output (compat.go): outFile is nil for the standard
	// output, stdoutFile; ioOpenFn is the sandboxed io.open.
	stdoutFile, outFile, ioOpenFn lua.LValue
}

// Errors the watchdog cancels a state with.
var (
	errHookTimeout = errors.New("hook timeout")
	errMemory      = errors.New("memory budget exceeded")
)

// HookError is a failure inside a hook or the script's top level: a Lua
// runtime error (Msg is "file:line: message", as wrk prints it), a timeout,
// the memory budget, or a recovered Go panic.
type HookError struct {
	Hook   string // "request()", "top level", ...
	Thread int    // 1-based thread number; 0 for the main state
	Msg    string
	Err    error // the cause when it is not the script's own: a *policy.RefusedError
}

func (e *HookError) Unwrap() error { return e.Err }

func (e *HookError) Error() string {
	if e.Thread > 0 {
		return fmt.Sprintf("%s (in %s, thread %d)", e.Msg, e.Hook, e.Thread)
	}
	return fmt.Sprintf("%s (in %s)", e.Msg, e.Hook)
}

func (s *Script) newLState(idx int) (*state, error) {
	// LuaJIT's depth (about 21,800 nested calls, then "stack overflow"),
	// with the data stack bounded at 16 MiB: see lualib.StateOptions.
	ls := lua.NewState(lualib.StateOptions())
	st := &state{s: s, ls: ls, idx: idx, protect: lualib.NewCaller(ls)}
	// A cancelCtx is checked by the VM before every instruction; its Done
	// is one atomic load, cheap next to a hook call. The watchdog cancels
	// it when a hook overruns or memory runs out.
	st.ctx, st.cancel = context.WithCancelCause(context.Background())
	ls.SetContext(st.ctx)
	seed := uint64(s.opts.Seed) + uint64(idx)
	if s.opts.Seed == 0 {
		seed = s.seedBase + uint64(idx)*0x9e3779b97f4a7c15
	}
	st.pcg = rand.NewPCG(seed, seed^0x5851f42d4c957f2d)
	st.rnd = rand.New(st.pcg) //nolint:gosec // math.random is for load shaping, not secrets
	if err := st.guard("opening libraries", func() error { return st.openLibs() }); err != nil {
		ls.Close()
		return nil, err
	}
	return st, nil
}

// guard runs f with the state's panic and watchdog protection: a Go panic
// (gopher-lua issue #282 and friends) becomes an error and retires the
// state.
func (st *state) guard(hook string, f func() error) (err error) {
	if st.broken != nil {
		return st.broken
	}
	st.seq.Add(1)
	defer func() {
		st.seq.Add(1)
		if r := recover(); r != nil {
			st.broken = &HookError{Hook: hook, Thread: st.idx, Msg: fmt.Sprintf("internal error in the Lua runtime (recovered Go panic: %v)", r)}
			err = st.broken
		}
	}()
	return f()
}

// pcall calls the function below its nargs arguments on the stack, guarded.
func (st *state) pcall(hook string, nargs, nret int) error {
	st.hook = hook
	return st.guard(hook, func() error {
		if err := st.protect.PCall(st.ls, nargs, nret); err != nil {
			return st.hookError(hook, err)
		}
		return nil
	})
}

// hookError turns a PCall error into a HookError naming the real cause.
func (st *state) hookError(hook string, err error) error {
	he := &HookError{Hook: hook, Thread: st.idx}
	var refused *policy.RefusedError
	switch cause := context.Cause(st.ctx); {
	case errors.Is(cause, errHookTimeout):
		he.Msg = fmt.Sprintf("%s ran longer than the script timeout of %v (--script-timeout)", hook, st.s.opts.hookTimeout())
		st.broken = he
		return he
	case errors.Is(cause, errMemory):
		he.Msg = fmt.Sprintf("script stopped: memory budget of %d MiB exceeded (--script-memory)", st.s.opts.memoryBudget()>>20)
		st.broken = he
		return he
	case errors.As(cause, &refused):
		he.Msg, he.Err = refused.Error(), refused
		st.broken = he
		return he
	}
	var ae *lua.ApiError
	if errors.As(err, &ae) {
		if ae.Type == lua.ApiErrorPanic {
			he.Msg = "internal error in the Lua runtime (recovered Go panic: " + ae.Object.String() + ")"
			st.broken = he
			return he
		}
		he.Msg = ae.Object.String()
		if s, ok := ae.Object.(lua.LString); ok {
			he.Msg = string(s)
		}
		he.Msg = st.redactMsg(he.Msg)
		return he
	}
	he.Msg = st.redactMsg(err.Error())
	return he
}

// where is "file:line" of the Lua code calling the current Go function,
// skipping Go frames such as pcall.
func where(ls *lua.LState) string {
	for level := 1; level < 20; level++ {
		dbg, ok := ls.GetStack(level)
		if !ok {
			break
		}
		if _, err := ls.GetInfo("Sl", dbg, lua.LNil); err != nil || dbg.What == "G" || dbg.CurrentLine <= 0 {
			continue
		}
		return fmt.Sprintf("%s:%d", dbg.Source, dbg.CurrentLine)
	}
	return "?"
}

func (st *state) close() {
	st.cancel(nil)
	st.ls.Close()
}
