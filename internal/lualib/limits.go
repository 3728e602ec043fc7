package lualib

import (
	"context"
	"fmt"

	lua "github.com/yuin/gopher-lua"
)

// Defaults for the zero fields of Limits.
const (
	// DefaultMaxString is 64 MiB: far above what a load-test script builds,
	// far below what hurts the process.
	DefaultMaxString = 64 << 20
	// DefaultMaxTable bounds unpack results and similar: LuaJIT's own
	// stack limit makes unpack fail near 8,000 results in practice.
	DefaultMaxTable = 1 << 20
	// DefaultMaxSteps bounds one pattern-matching call (or one call's
	// element moves) at about 20-100 ms of work.
	DefaultMaxSteps = 1 << 22
)

// ctxPoll is how many steps run between two polls of the context.
const ctxPoll = 1 << 12

// Limits bounds what one library call may build or do. The zero value
// selects the defaults; the bounds hold per call, so a script may still
// grow memory by many calls: the caller's own budget (wrkrun's watchdog,
// the partial evaluator's context) bounds that.
type Limits struct {
	MaxString int   // bytes of one string a call returns or builds; 0: DefaultMaxString
	MaxTable  int   // values one call creates (unpack results, table elements); 0: DefaultMaxTable
	MaxSteps  int64 // pattern-matching steps or element moves in one call; 0: DefaultMaxSteps
}

func (l Limits) withDefaults() Limits {
	if l.MaxString <= 0 {
		l.MaxString = DefaultMaxString
	}
	if l.MaxTable <= 0 {
		l.MaxTable = DefaultMaxTable
	}
	if l.MaxSteps <= 0 {
		l.MaxSteps = DefaultMaxSteps
	}
	return l
}

// lib is what every installed function closes over: the limits, fixed
// when the library is opened.
type lib struct {
	lim Limits
}

// budget counts the steps of one library call and polls the state's
// context every ctxPoll steps.
type budget struct {
	ls    *lua.LState
	left  int64
	max   int64
	poll  int
	done  <-chan struct{}
	ctx   context.Context
	label string // what runs out, for the message
}

func (lb *lib) newBudget(ls *lua.LState, label string) *budget {
	b := &budget{ls: ls, left: lb.lim.MaxSteps, max: lb.lim.MaxSteps, poll: ctxPoll, label: label}
	if ctx := ls.Context(); ctx != nil {
		b.ctx = ctx
		b.done = ctx.Done()
	}
	return b
}

// step charges n steps and raises a Lua error when the budget is spent or
// the context is cancelled.
func (b *budget) step(n int) {
	b.left -= int64(n)
	if b.left < 0 {
		raise(b.ls, fmt.Sprintf("%s too complex (more than %d steps in one call)", b.label, b.max))
	}
	b.poll -= n
	if b.poll <= 0 {
		b.poll = ctxPoll
		if b.done != nil {
			select {
			case <-b.done:
				raise(b.ls, "script stopped: "+context.Cause(b.ctx).Error())
			default:
			}
		}
	}
}

// checkSize raises LuaJIT's "not enough memory" when a result of n bytes
// would pass the string limit. n is computed by the caller with overflow
// in mind (see mulLimit).
func (lb *lib) checkSize(ls *lua.LState, n int64) {
	if n > int64(lb.lim.MaxString) || n < 0 {
		raiseMemory(ls)
	}
}

// raiseMemory raises LuaJIT's out-of-memory error, which carries no
// position.
func raiseMemory(ls *lua.LState) {
	ls.Error(lua.LString("not enough memory"), 0)
}
