//go:build linux

package runner

import (
	"crypto/tls"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wrklint/wrklint/runner/stats"
)

const (
	// sampleInterval is wrk's RECORD_INTERVAL_MS: Req/Sec samples and the
	// periodic checks (stop, hung requests) run this often.
	sampleInterval = 100 * time.Millisecond
	// readBufSize is the worker's single read buffer. wrk reads 8 KiB at a
	// time; a larger buffer takes large bodies in fewer system calls.
	readBufSize = 64 << 10
	// maxReadsPerEvent bounds how long one connection streaming a huge body
	// can hold the loop before the others get their turn.
	maxReadsPerEvent = 16
)

// worker is one -t thread. Fields are set before the worker starts and then
// owned by its goroutine, except where a comment says otherwise.
type worker struct {
	id      int
	cfg     *Config       // shared, read-only
	addr    unix.Sockaddr // target for plain TCP
	family  int
	tlsAddr string      // "ip:port" for TLS dials
	tlsConf *tls.Config // nil for plain TCP; one of tlsConfs
	caps    ScriptCaps
	script  ThreadScript // nil without a script
	request []byte       // the static batch
	depth   int          // responses per batch
	stop    *atomic.Bool // shared: set by Run to end the run

	// The TLS configurations tlsConf is chosen from (afterHandshake).
	tlsConfs tlsConfigs

	poll     *poller
	conns    []conn
	buf      []byte // the one read buffer, reused by every read
	plain    []byte // TLS: decrypted bytes on their way to the parser
	lat      *stats.Latency
	ulat     *stats.Latency // -R: latency from the actual send time (-U)
	lag      *stats.Latency // -R: actual minus intended send time, µs
	rate     bool           // -R: connections follow a schedule
	rates    stats.Rates
	errs     stats.Errors
	statuses [1000]uint64 // responses by status code (3 digits)
	series   *stats.Series
	paths    stats.PathCounts
	// staticSends counts batches of the static request, whose path
	// needs no parsing per send.
	staticSends uint64
	complete    uint64
	bytes       uint64
	// TLS handshakes completed, full and resumed.
	tlsFull, tlsResumed uint64
	timeoutUS           int64
	timers              timerHeap
	h2                  *h2worker // --http2 only (h2conn_linux.go)
	stopped             bool      // the script stopped this thread
	err                 error     // fatal error (script hook)

	// handshakes counts the connections whose handshake goroutine has not
	// been heard from (started by connect, ended by its completion or by
	// closing the connection first).
	handshakes int

	// live is what the worker publishes for the progress line at every
	// tick; the only fields other goroutines read during the run.
	live struct {
		requests, errors, transport, timeouts, status atomic.Uint64
		p99                                           atomic.Int64
	}

	sampleCount uint64 // responses since the last Req/Sec sample
	sampleStart time.Time
	// inflight counts the connections with a request batch in flight
	// (conn.inflight); perResponse is the time per response over the
	// last sample interval. Together: how much work the server has
	// queued from this worker (spinner.queued).
	inflight    int
	perResponse time.Duration

	// TLS handshake goroutines post completions here and wake the
	// poller; mu guards queue only.
	mu    sync.Mutex
	queue []completion
	spare []completion // owned by the worker; swapped with queue
	tlsWG sync.WaitGroup
}

// run is the worker's event loop. It returns when the shared stop flag is
// set (Run wakes the poller), the script stops the thread, or a hook fails.
func (w *worker) run() {
	// A TLS worker (not under -R) parks while handshakes are in flight
	// (see poller.waitParked): it must be free to share its thread with
	// the handshake goroutines, so it is not locked to one.
	park := w.tlsConf != nil && !w.rate
	if !park {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	if w.rate {
		defer preciseTimers()()
	}
	w.poll.spin.slack = timerSlack()

	now := time.Now()
	w.sampleStart = now
	for i := range w.conns {
		w.conns[i].connect(now)
	}
	nextTick := now.Add(sampleInterval)
	for !w.stop.Load() && !w.stopped && w.err == nil {
		wait := nextTick.Sub(now)
		if d, ok := w.timers.next(); ok && d.Sub(now) < wait {
			wait = d.Sub(now)
		}
		var n int
		var err error
		if park && w.handshakes > 0 {
			n, err = w.poll.waitParked(max(wait, 0))
		} else {
			w.poll.stopPark()
			w.poll.spin.queued = time.Duration(w.inflight) * w.perResponse
			n, err = w.poll.wait(max(wait, 0))
		}
		if err != nil {
			w.err = err
			break
		}
		for i := 0; i < n; i++ {
			ev := w.poll.events[i]
			if ev.Fd == wakeIndex {
				w.poll.drainWake()
				w.drainCompletions()
				continue
			}
			c := &w.conns[ev.Fd]
			if c.gen != ev.Pad {
				continue // the socket was replaced earlier in this batch
			}
			c.onEvent(ev.Events)
		}
		now = time.Now()
		nextTick = w.afterWait(now, nextTick)
	}
	w.closeAll()
}

// preciseTimers sets the locked thread's timer slack to 1 ns, so -R's
// waits end on time rather than up to the default 50 µs late, and returns
// the function restoring it before the thread goes back to the runtime.
// Failing only costs precision.
func preciseTimers() func() {
	old, err := unix.PrctlRetInt(unix.PR_GET_TIMERSLACK, 0, 0, 0, 0)
	if err != nil || old <= 1 {
		return func() {}
	}
	if unix.Prctl(unix.PR_SET_TIMERSLACK, 1, 0, 0, 0) != nil {
		return func() {}
	}
	return func() { _ = unix.Prctl(unix.PR_SET_TIMERSLACK, uintptr(old), 0, 0, 0) }
}

// afterWait runs the timers that are due and, once per sample interval,
// tick; it returns when the next tick is due.
func (w *worker) afterWait(now, nextTick time.Time) time.Time {
	w.timers.run(now, w)
	if !now.Before(nextTick) {
		w.tick(now)
		nextTick = nextTick.Add(sampleInterval)
		if nextTick.Before(now) {
			nextTick = now.Add(sampleInterval)
		}
	}
	return nextTick
}

// closeAll closes every connection and waits for handshake goroutines to
// end, then places the counters' last gains in the time series.
func (w *worker) closeAll() {
	for i := range w.conns {
		w.conns[i].close()
	}
	w.tlsWG.Wait()
	// Handshakes that finished as the run ended posted sockets nobody
	// took: the connections' generations moved on, so this closes them.
	w.drainCompletions()
	w.series.Sample(time.Now(), w.complete, w.bytes, &w.errs, &w.statuses)
}

// tick records a Req/Sec sample (wrk's record_rate, including its
// truncation to whole milliseconds and whole requests), replaces hung
// connections and retries connections that could not even get a socket.
func (w *worker) tick(now time.Time) {
	w.perResponse = 0 // no responses: no estimate, no naps
	if w.poll.spin.napMax > 0 {
		w.poll.spin.choice.sample(w.sampleCount, now.Sub(w.sampleStart))
	}
	if w.sampleCount > 0 {
		elapsed := now.Sub(w.sampleStart)
		w.perResponse = elapsed / time.Duration(w.sampleCount)
		ms := uint64(elapsed / time.Millisecond)
		if ms > 0 {
			w.rates.Record(uint64(float64(w.sampleCount) / float64(ms) * 1000))
		}
		w.sampleCount = 0
		w.sampleStart = now
	}
	for i := range w.conns {
		w.conns[i].checkTimeout(now)
	}
	w.series.Sample(now, w.complete, w.bytes, &w.errs, &w.statuses)
	if w.cfg.Progress != nil {
		e := &w.errs
		w.live.requests.Store(w.complete)
		w.live.errors.Store(e.Connect + e.Read + e.Write + e.Timeout + e.Status + e.Stream + e.Conn)
		w.live.transport.Store(e.Connect + e.Read + e.Write + e.Timeout + e.Stream + e.Conn)
		w.live.timeouts.Store(e.Timeout)
		w.live.status.Store(e.Status)
		w.live.p99.Store(w.lat.ValueAtQuantile(99))
	}
}

// failScript records a fatal hook error; the loop ends after this event.
func (w *worker) failScript(err error) {
	if w.err == nil {
		w.err = &ScriptError{Thread: w.id, Err: err}
	}
}

// checkScriptStop ends the thread when the script called thread:stop().
func (w *worker) checkScriptStop() {
	if w.script != nil && w.script.Stopped() {
		w.stopped = true
	}
}

// completion is a TLS handshake goroutine's report to its worker.
type completion struct {
	idx  int32
	gen  int32
	kind completionKind
	tc   *tlsConn
	err  error
}

type completionKind uint8

const (
	compConnected completionKind = iota
	compConnectErr
)

// post may be called from any goroutine.
func (w *worker) post(c completion) {
	w.mu.Lock()
	first := len(w.queue) == 0
	w.queue = append(w.queue, c)
	w.mu.Unlock()
	if first {
		w.wake()
	}
}

// wake interrupts the worker's wait; any goroutine may call it.
func (w *worker) wake() {
	w.poll.wake()
}

func (w *worker) drainCompletions() {
	w.mu.Lock()
	q := w.queue
	w.queue = w.spare[:0]
	w.mu.Unlock()
	for i := range q {
		w.handleCompletion(&q[i])
		q[i] = completion{}
	}
	w.spare = q[:0]
}

func (w *worker) handleCompletion(cp *completion) {
	c := &w.conns[cp.idx]
	if c.gen != cp.gen || c.tls != cp.tc {
		// The slot moved on (timeout, end of run) while the handshake
		// finished: the socket handed over is nobody's but ours to close.
		if cp.kind == compConnected {
			unix.Close(cp.tc.fd)
		}
		return
	}
	w.handshakes--
	w.afterHandshake(cp.tc, cp.err)
	switch cp.kind {
	case compConnected:
		c.onConnected()
	case compConnectErr:
		w.errs.ConnectError(cause(cp.err))
		c.reconnect()
	}
}

// timerHeap is a binary min-heap of connection wake-ups (script delays).
// Entries of replaced connections are recognised by their generation.
type timerHeap struct {
	items []timerItem
}

type timerItem struct {
	when time.Time
	idx  int32
	gen  int32
}

func (h *timerHeap) push(it timerItem) {
	h.items = append(h.items, it)
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.items[i].when.Before(h.items[p].when) {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *timerHeap) pop() timerItem {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < last && h.items[l].when.Before(h.items[m].when) {
			m = l
		}
		if r < last && h.items[r].when.Before(h.items[m].when) {
			m = r
		}
		if m == i {
			break
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
	return top
}

func (h *timerHeap) next() (time.Time, bool) {
	if len(h.items) == 0 {
		return time.Time{}, false
	}
	return h.items[0].when, true
}

func (h *timerHeap) run(now time.Time, w *worker) {
	for len(h.items) > 0 && !h.items[0].when.After(now) {
		it := h.pop()
		c := &w.conns[it.idx]
		switch {
		case c.gen != it.gen:
		case c.h2On():
			c.h2Timer(now)
		case c.state == stDelayed:
			c.delayDone = true
			c.startBatch()
		case c.state == stScheduled:
			c.startBatch()
		}
	}
}
