package luart

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// watchdog bounds every call into Lua in time and the heap in size. It
// polls instead of arming a timer per call: a hook call only increments its
// state's sequence number twice, which keeps the request path cheap.
type watchdog struct {
	timeout time.Duration
	budget  uint64
	onStuck func(error) // called once when a cancelled call does not return

	mu     sync.Mutex
	states []*state
	closed bool

	quit chan struct{}
	done chan struct{}
}

func startWatchdog(timeout time.Duration, budget uint64, onStuck func(error)) *watchdog {
	w := &watchdog{timeout: timeout, budget: budget, onStuck: onStuck, quit: make(chan struct{}), done: make(chan struct{})}
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
	tick := min(w.timeout/4, 10*time.Millisecond)
	if tick <= 0 {
		tick = time.Millisecond
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
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

// overBudget reports whether the live heap exceeds the budget. The live
// figure is the one measured by the last collection, which may predate the
// release of garbage: a reading above the budget is confirmed with a
// collection of its own before anything is cancelled. Between collections
// the heap can grow past the budget by the GC's headroom (GOGC).
func (w *watchdog) overBudget(sample []metrics.Sample) bool {
	live := func() uint64 {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return sample[0].Value.Uint64()
	}
	if live() <= w.budget {
		return false
	}
	runtime.GC()
	return live() > w.budget
}
