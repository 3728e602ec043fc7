package runner

import (
	"net"
	"time"
)

// Script is the seam for the Lua runtime (a later issue). Run calls
// NewThread once per worker before the worker starts, on the goroutine
// that calls Run; every ThreadScript method is then called only from that
// worker's own goroutine, so one Lua state per thread needs no locking.
type Script interface {
	// Caps says which hooks exist. Like wrk, it is asked once (wrk decides
	// on thread 1 after init) and applies to every thread.
	Caps() ScriptCaps
	// NewThread returns the hooks of worker index i (0-based).
	NewThread(i int) (ThreadScript, error)
}

// ScriptCaps lists the hooks a script defines.
type ScriptCaps struct {
	Request  bool // ThreadScript.Request is called for every batch
	Response bool // ThreadScript.Response is called for every response
	Delay    bool // ThreadScript.Delay is called before every batch
	// Depth is the number of pipelined requests in each batch (wrk counts
	// them in the first request() result). 0 means 1.
	Depth int
}

// ThreadScript is one worker's view of the script. An error from any hook
// aborts the run (wrk exits with "PANIC: …"); Run returns it wrapped in a
// *ScriptError.
type ThreadScript interface {
	// StaticRequest returns the request sent on every batch when
	// Caps.Request is false (wrk builds it once per thread after init).
	StaticRequest() ([]byte, error)
	// Request appends the next batch to dst[:0] and returns it. It must
	// hold Caps.Depth complete requests.
	Request(dst []byte) ([]byte, error)
	// Response sees each complete response. r and its slices are only
	// valid during the call.
	Response(r *Response) error
	// Delay returns how long to wait before the next batch is written.
	Delay() (time.Duration, error)
	// Stopped reports whether the script stopped this thread
	// (wrk.thread:stop()); the worker checks it after each hook call.
	Stopped() bool
}

// ThreadAddr is optionally implemented by a ThreadScript whose thread
// connects somewhere else than the address Run was given (wrk's
// thread.addr, set by setup()). Addr is asked once, before the thread
// starts; nil means the default address. The target policy must already
// have been applied: the engine connects wherever it is told.
type ThreadAddr interface {
	Addr() *net.TCPAddr
}

// Response is what a response hook sees. Headers keep the server's order
// and case; the Lua side makes the last duplicate win as wrk does. Body is
// de-chunked.
type Response struct {
	Status  int
	Headers []HeaderField
	Body    []byte
	// HTTP2: the response came over HTTP/2, whose header names are
	// lowercase on the wire; the Lua side looks names up ignoring case
	// so that headers["Content-Type"] finds "content-type".
	HTTP2 bool
}

// HeaderField is one response header; the slices point into a buffer the
// connection reuses.
type HeaderField struct {
	Name, Value []byte
}

// ScriptError wraps an error returned by a script hook.
type ScriptError struct {
	Thread int
	Err    error
}

func (e *ScriptError) Error() string { return e.Err.Error() }
func (e *ScriptError) Unwrap() error { return e.Err }

// Constant-rate mode (wrk2's -R) plugs in at the same place as Delay: the
// worker asks when the next batch of a connection is due, parks the
// connection on its timer heap until then, and measures latency from the
// intended start instead of the actual first write. See conn.startBatch.
