package luart

import "context"

// pollEvery is how many steps a poller takes between two looks at its
// context: a look is an atomic load, a step one value built or copied.
const pollEvery = 1 << 10

// poller lets a long Go call made from Lua (cjson.decode of a wide
// document, thread:set of a big table) stop when the watchdog cancels the
// state, for its timeout or the memory budget: the VM checks the context
// between instructions only, never inside a Go function.
type poller struct {
	ctx  context.Context
	left int
}

func newPoller(ctx context.Context) poller { return poller{ctx: ctx, left: pollEvery} }

// step charges n steps and returns the cancellation cause, if any, once
// every pollEvery steps.
func (p *poller) step(n int) error {
	p.left -= n
	if p.left > 0 || p.ctx == nil {
		return nil
	}
	p.left = pollEvery
	if p.ctx.Err() != nil {
		return &stoppedError{cause: context.Cause(p.ctx)}
	}
	return nil
}

// stoppedError is a Go call stopped by the watchdog; the hook's error
// then names the cause (hookError reads it from the context).
type stoppedError struct{ cause error }

func (e *stoppedError) Error() string { return "script stopped: " + e.cause.Error() }
func (e *stoppedError) Unwrap() error { return e.cause }
