//go:build linux

package runner

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
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

// TestPollerWaitParked: a parked wait ends at its deadline with no event,
// returns a wake-up posted by another goroutine while it is parked, and
// leaves no descriptor behind when parking stops (the duplicate
// registered with the runtime's poller is closed).
func TestPollerWaitParked(t *testing.T) {
	p, err := newPoller(4, true)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	if n, err := p.waitParked(2 * time.Millisecond); err != nil || n != 0 {
		t.Fatalf("parked wait to its deadline = %d, %v; want a timeout", n, err)
	}
	if p.epFile == nil {
		t.Fatal("no descriptor registered with the runtime's poller while parking")
	}
	dup := -1
	if err := p.epRaw.Control(func(fd uintptr) { dup = int(fd) }); err != nil {
		t.Fatal(err)
	}

	woken := make(chan struct{})
	go func() {
		<-woken
		time.Sleep(time.Millisecond) // most likely parked by now; either way the wake-up must arrive
		p.wake()
	}()
	close(woken)
	n, err := p.waitParked(time.Hour)
	if err != nil || n != 1 || p.events[0].Fd != wakeIndex {
		t.Fatalf("parked wait with a wake-up: %d events %v, %v; want the wake-up only", n, p.events[:n], err)
	}
	p.drainWake()

	p.stopPark()
	if _, err := unix.FcntlInt(uintptr(dup), unix.F_GETFD, 0); err != unix.EBADF {
		t.Errorf("the duplicate descriptor %d is still open after parking stopped (fcntl: %v)", dup, err)
	}
	// A raw wait works as before once parking stopped.
	p.wake()
	if n, err := p.wait(time.Hour); err != nil || n != 1 {
		t.Fatalf("raw wait after parking = %d, %v", n, err)
	}
}

// TestSpinner: the worker polls before sleeping only while its idle gaps
// are shorter than the spin limit, and never past the wait's own timeout.
func TestSpinner(t *testing.T) {
	const limit = 50 * time.Microsecond
	type step struct {
		gap time.Duration
		got bool
	}
	for _, tc := range []struct {
		name  string
		steps []step
		d     time.Duration // the next wait's timeout
		want  time.Duration // its polling window
	}{
		{"fresh: sleeps at once", nil, time.Second, 0},
		{"short gap: polls", []step{{5 * time.Microsecond, true}}, time.Second, limit},
		{"short gap, shorter timeout", []step{{5 * time.Microsecond, true}}, 20 * time.Microsecond, 20 * time.Microsecond},
		{"gap at the limit: sleeps", []step{{limit, true}}, time.Second, 0},
		{"long gap after short ones", []step{{time.Microsecond, true}, {time.Microsecond, true}, {time.Millisecond, true}}, time.Second, 0},
		{"timeout ends polling", []step{{time.Microsecond, true}, {10 * time.Microsecond, false}}, time.Second, 0},
		{"short gap again", []step{{time.Millisecond, true}, {3 * time.Microsecond, true}}, time.Second, limit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := spinner{max: limit}
			for _, st := range tc.steps {
				s.observe(st.gap, st.got)
			}
			if got := s.window(tc.d); got != tc.want {
				t.Errorf("window(%v) = %v, want %v", tc.d, got, tc.want)
			}
		})
	}
}

// TestPollerSpin: a raw wait that polls first still returns an event at
// once and keeps polling, and a wait that times out while polling reports
// no event and stops polling.
func TestPollerSpin(t *testing.T) {
	p, err := newPoller(4, true)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	p.spin = spinner{max: time.Hour, hold: true}

	p.wake()
	if n, err := p.wait(time.Hour); err != nil || n != 1 || p.events[0].Fd != wakeIndex {
		t.Fatalf("polling wait with a wake-up pending: %d events %v, %v; want the wake-up", n, p.events[:n], err)
	}
	p.drainWake()
	if !p.spin.hold {
		t.Error("an event found while polling stopped the polling")
	}

	if n, err := p.wait(200 * time.Microsecond); err != nil || n != 0 {
		t.Fatalf("polling wait with nothing ready = %d, %v; want a timeout", n, err)
	}
	if p.spin.hold {
		t.Error("a wait that timed out left polling on")
	}
}
