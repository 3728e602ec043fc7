package luart

import (
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// watchdog bounds every call into Lua in time and the heap in size. It
// polls instead of arming a timer per call: a hook call only increments its
// state's sequence number twice, which keeps the request path cheap.
//
// The memory budget is a bound on the process's peak, not on the heap the
// last collection measured (which let `s = s .. s` reach 4 GB before the
// next collection): the watchdog reads the current heap (objects live or
// not yet swept, updated at every span or large allocation) every
// memoryTick, and cancels every state once it passes the budget and a
// collection confirms that the live part does. Between two looks a script
// can allocate what one memoryTick of VM instructions allocates; a single
// Go call allocates at most MaxString (the library, cjson, wrk.format,
// thread:set and ".." refuse more before allocating), and a single table
// store at most gopher-lua's MaxArrayIndex slots (see limits.go). The Go
// memory limit is set to twice the budget for the Script's life, so that
// garbage (the halves of a doubled string, a table's old array) is
// collected and returned to the system before the resident size passes
// it; together these keep the peak resident size under about twice the
// budget plus the runtime's own.
type watchdog struct {
	timeout time.Duration
	budget  uint64
	onStuck func(error) // called once when a cancelled call does not return

	mu     sync.Mutex
	states []*state
	closed bool

	quit chan struct{}
	done chan struct{}

	limitSet, limitPrev int64 // the Go memory limit this watchdog set, and the one before
	lastGC              time.Time
}

// memoryTick is how often the current heap is read: a read of the two
// metrics costs about 2.6 µs (0.13 % of a core at this tick); a tight
// allocation loop allocates some megabytes per millisecond.
const memoryTick = 2 * time.Millisecond

// confirmEvery spaces the collections that confirm a heap over the budget
// when the live part was not: a script holding most of its budget while
// making garbage would otherwise be collected every tick.
const confirmEvery = 50 * time.Millisecond

func startWatchdog(timeout time.Duration, budget uint64, onStuck func(error)) *watchdog {
	w := &watchdog{timeout: timeout, budget: budget, onStuck: onStuck, quit: make(chan struct{}), done: make(chan struct{})}
	// The memory limit is process-wide: it is lowered to twice the
	// budget, never raised, and put back at close unless someone else
	// changed it meanwhile.
	limit := int64(min(budget, math.MaxInt64/4) * 2)
	if prev := debug.SetMemoryLimit(-1); limit < prev {
		w.limitPrev, w.limitSet = prev, limit
		debug.SetMemoryLimit(limit)
	}
	go w.loop()
	return w
}

func (w *watchdog) add(st *state) {
	w.mu.Lock()
	w.states = append(w.states, st)
	w.mu.Unlock()
}

// close stops the watchdog and returns the states it watched.
func (w *watchdog) close() []*state {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	states := w.states
	w.states = nil
	w.mu.Unlock()
	close(w.quit)
	<-w.done
	if w.limitSet != 0 && debug.SetMemoryLimit(-1) == w.limitSet {
		debug.SetMemoryLimit(w.limitPrev)
	}
	return states
}

// watch is what the loop remembers about one state.
type watch struct {
	seq       uint64
	since     time.Time
	cancelled bool // cancelled at since+timeout; still running means stuck
}

// stuckGrace is how long a cancelled call may take to notice: the VM
// checks before every instruction, so only a long Go builtin (a
// pathological string.find pattern) can take longer.
func (w *watchdog) stuckGrace() time.Duration { return max(2*w.timeout, time.Second) }

func (w *watchdog) loop() {
	defer close(w.done)
	// The tick bounds how late an overrunning hook is stopped and how far
	// the heap can grow between two looks at it.
	tick := max(min(w.timeout/4, memoryTick), 100*time.Microsecond)
	t := time.NewTicker(tick)
	defer t.Stop()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	seen := map[*state]watch{}
	for {
		select {
		case <-w.quit:
			return
		case now := <-t.C:
			w.mu.Lock()
			states := append([]*state(nil), w.states...)
			w.mu.Unlock()
			if w.overBudget(sample) {
				for _, st := range states {
					st.cancel(errMemory)
				}
			}
			for _, st := range states {
				seq := st.seq.Load()
				last, ok := seen[st]
				switch {
				case seq%2 == 0:
					delete(seen, st)
				case !ok || last.seq != seq:
					seen[st] = watch{seq: seq, since: now}
				case !last.cancelled && now.Sub(last.since) >= w.timeout:
					st.cancel(errHookTimeout)
					last.cancelled = true
					seen[st] = last
				case last.cancelled && now.Sub(last.since) >= w.timeout+w.stuckGrace() && w.onStuck != nil:
					stuck := w.onStuck
					w.onStuck = nil // once per Script
					where := "the main state"
					if st.idx > 0 {
						where = fmt.Sprintf("thread %d", st.idx)
					}
					stuck(fmt.Errorf("a script hook in %s still runs %v after it was stopped at the %v script timeout: "+
						"it is inside a Go builtin that cannot be interrupted (such as string.find with a pathological pattern)",
						where, w.stuckGrace(), w.timeout))
				}
			}
		}
	}
}

// overBudget reports whether the script's memory is over the budget: the
// current heap (which includes garbage not yet collected) is over it, and
// so is the live heap, measured by a collection of the watchdog's own (at
// most every confirmEvery; in between, the last collection's figure, which
// is at least as recent). The live figure alone may be stale either way:
// it can predate the release of garbage, or a bomb's first megabytes.
func (w *watchdog) overBudget(sample []metrics.Sample) bool {
	read := func(i int) uint64 {
		if sample[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return sample[i].Value.Uint64()
	}
	metrics.Read(sample)
	if read(0) <= w.budget {
		return false
	}
	if time.Since(w.lastGC) >= confirmEvery {
		runtime.GC()
		w.lastGC = time.Now()
		metrics.Read(sample)
	}
	return read(1) > w.budget
}
