//go:build linux

package runner

import (
	"testing"
	"time"
)

// TestPollerWait covers both timeout mechanisms (epoll_pwait2, and the
// timerfd that replaces it on kernels without it) in both blocking modes.
func TestPollerWait(t *testing.T) {
	for _, tc := range []struct {
		name              string
		rawBlock, timerfd bool
	}{
		{"pwait2", false, false},
		{"pwait2 raw", true, false},
		{"timerfd", false, true},
		{"timerfd raw", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := newPoller(4, tc.rawBlock)
			if err != nil {
				t.Fatal(err)
			}
			defer p.close()
			if tc.timerfd {
				if err := p.startTimerfd(); err != nil {
					t.Fatal(err)
				}
			}

			// A timeout is not rounded up to a millisecond: whole-millisecond
			// waits cannot end before 1 ms, so one short wait among many
			// proves the precision whatever the machine's load. The loop
			// waits again after an early return as the worker does (a raw
			// wait ends with EINTR when the runtime signals the thread).
			const d = 200 * time.Microsecond
			shortest := time.Hour
			for range 50 {
				start := time.Now()
				deadline := start.Add(d)
				for now := start; now.Before(deadline); now = time.Now() {
					n, err := p.wait(deadline.Sub(now))
					if err != nil || n != 0 {
						t.Fatalf("wait = %d, %v; want a timeout", n, err)
					}
				}
				shortest = min(shortest, time.Since(start))
			}
			if shortest >= time.Millisecond {
				t.Errorf("the shortest of 50 waits of %v took %v: the timeout is rounded to milliseconds", d, shortest)
			}

			// A timed wait that another event ends first leaves the
			// timerfd armed; when it expires later, its event must not
			// reach the caller (whose events index connections).
			if tc.timerfd {
				p.wake()
				n, err := p.waitTimerfd(300 * time.Microsecond)
				if err != nil || n != 1 || p.events[0].Fd != wakeIndex {
					t.Fatalf("armed wait with a wake-up pending: %d events %v, %v", n, p.events[:n], err)
				}
				p.drainWake()
				time.Sleep(2 * time.Millisecond)
				if n, err := p.wait(0); err != nil || n != 0 {
					t.Fatalf("wait(0) after the timer expired = %d events %v, %v; want none", n, p.events[:n], err)
				}
			}

			// The wake-up is reported at once.
			time.Sleep(time.Millisecond)
			p.wake()
			n, err := p.wait(time.Hour)
			if err != nil || n != 1 || p.events[0].Fd != wakeIndex {
				t.Fatalf("after wake: %d events %v, %v; want the wake-up only", n, p.events[:n], err)
			}
			p.drainWake()
			if n, err := p.wait(0); err != nil || n != 0 {
				t.Fatalf("wait(0) after draining = %d, %v", n, err)
			}
		})
	}
}
