package luart

import (
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

	mu     sync.Mutex
	states []*state
	closed bool

	quit chan struct{}
	done chan struct{}
}

func startWatchdog(timeout time.Duration, budget uint64) *watchdog {
	w := &watchdog{timeout: timeout, budget: budget, quit: make(chan struct{}), done: make(chan struct{})}
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
	seq   uint64
	since time.Time
}

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
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	seen := map[*state]watch{}
	for {
		select {
		case <-w.quit:
			return
		case now := <-t.C:
			w.mu.Lock()
			states := append([]*state(nil), w.states...)
			w.mu.Unlock()
			metrics.Read(sample)
			if heap := heapBytes(sample); heap > w.budget {
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
				case now.Sub(last.since) >= w.timeout:
					st.cancel(errHookTimeout)
				}
			}
		}
	}
}

// heapBytes is the live heap after the last GC, or the current heap
// objects when the live figure lags behind (nothing collected yet).
func heapBytes(s []metrics.Sample) uint64 {
	var live, objects uint64
	if s[0].Value.Kind() == metrics.KindUint64 {
		live = s[0].Value.Uint64()
	}
	if s[1].Value.Kind() == metrics.KindUint64 {
		objects = s[1].Value.Uint64()
	}
	// Objects include garbage not yet swept; count them only well past
	// the budget so that a burst of garbage does not abort a healthy run.
	if objects > 2*live {
		return max(live, objects/2)
	}
	return max(live, objects)
}
