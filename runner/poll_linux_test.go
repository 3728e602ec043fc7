//go:build linux

package runner

import (
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wrklint/wrklint/runner/stats"
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

// TestSpinnerNap: a worker naps only while its idle gaps were shorter than
// a nap, the server has at least napShare naps' worth of its requests
// queued, and the nap (at least the timer slack) fits before the wait's
// own deadline; the kernel adds the slack to what is asked for.
func TestSpinnerNap(t *testing.T) {
	const (
		slack = 50 * time.Microsecond
		top   = 64 * time.Microsecond
	)
	busy := time.Duration(napShare) * time.Millisecond // plenty queued
	for _, tc := range []struct {
		name   string
		s      spinner
		gap    time.Duration // observed before the wait; 0: not observed
		got    bool
		napped bool // the last nap found events
		d      time.Duration
		want   time.Duration
	}{
		{"short gap, much queued", spinner{napMax: top, slack: slack, queued: busy}, time.Microsecond, true, false, time.Second, top - slack},
		{"napping is off", spinner{slack: slack, queued: busy}, time.Microsecond, true, false, time.Second, 0},
		{"polling was measured faster", spinner{napMax: top, slack: slack, queued: busy, choice: napChooser{off: true}}, time.Microsecond, true, false, time.Second, 0},
		{"probing naps while polling is chosen", spinner{napMax: top, slack: slack, queued: busy, choice: napChooser{off: true, probing: true}}, time.Microsecond, true, false, time.Second, top - slack},
		{"fresh: no gap yet", spinner{napMax: top, slack: slack, queued: busy}, 0, false, false, time.Second, 0},
		{"gap longer than a nap", spinner{napMax: top, slack: slack, queued: busy}, top, true, false, time.Second, 0},
		{"the wait timed out", spinner{napMax: top, slack: slack, queued: busy}, time.Microsecond, false, false, time.Second, 0},
		{"after a nap that found events", spinner{napMax: top, slack: slack, queued: busy}, 0, false, true, time.Second, top - slack},
		{"little queued: shorter nap", spinner{napMax: top, slack: slack, queued: napShare * 60 * time.Microsecond}, time.Microsecond, true, false, time.Second, 10 * time.Microsecond},
		{"queued covers no more than the slack", spinner{napMax: top, slack: slack, queued: napShare * slack}, time.Microsecond, true, false, time.Second, 0},
		{"nothing queued (no estimate yet)", spinner{napMax: top, slack: slack}, time.Microsecond, true, false, time.Second, 0},
		{"deadline before the nap's end", spinner{napMax: top, slack: slack, queued: busy}, time.Microsecond, true, false, top - time.Nanosecond, 0},
		{"no slack: the whole nap is asked for", spinner{napMax: top, queued: busy}, time.Microsecond, true, false, time.Second, top},
		{"nap exactly the slack: at least 1 ns asked", spinner{napMax: slack + 1, slack: slack, queued: busy}, time.Microsecond, true, false, time.Second, time.Nanosecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s
			if tc.gap > 0 {
				s.observe(tc.gap, tc.got)
			}
			if tc.napped {
				s.napped()
			}
			if got := s.nap(tc.d); got != tc.want {
				t.Errorf("nap(%v) = %v, want %v", tc.d, got, tc.want)
			}
		})
	}
	// A nap that found events ends polling: the gap it bridged was longer
	// than the polling window.
	s := spinner{max: time.Hour, napMax: top, hold: true}
	s.napped()
	if s.window(time.Second) != 0 {
		t.Error("polling still on after a nap")
	}
}

// TestPollerNap: a raw wait that naps returns what arrived during the nap
// and keeps napping; one that finds nothing after its nap still waits to
// its timeout (reporting no event) and stops napping.
func TestPollerNap(t *testing.T) {
	p, err := newPoller(4, true)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	p.spin = spinner{max: time.Microsecond, napMax: time.Millisecond, napHold: true, queued: time.Hour}

	p.wake()
	if n, err := p.wait(time.Hour); err != nil || n != 1 || p.events[0].Fd != wakeIndex {
		t.Fatalf("napping wait with a wake-up pending: %d events %v, %v; want the wake-up", n, p.events[:n], err)
	}
	p.drainWake()
	if p.spin.naps != 1 || !p.spin.napHold {
		t.Errorf("after a nap that found an event: %d naps, napping on %v; want 1, true", p.spin.naps, p.spin.napHold)
	}

	// The nap (1 ms) fits in the wait (5 ms); nothing comes.
	if n, err := p.wait(5 * time.Millisecond); err != nil || n != 0 {
		t.Fatalf("napping wait with nothing ready = %d, %v; want a timeout", n, err)
	}
	if p.spin.naps != 2 {
		t.Errorf("%d naps, want 2", p.spin.naps)
	}
	if p.spin.napHold {
		t.Error("a wait that timed out after its nap left napping on")
	}
}

// TestWorkerInflight: the worker's count of connections with requests in
// flight (what a nap is measured against) follows sends, responses,
// pipelined batches and closes, and the time per response comes from the
// sample interval.
func TestWorkerInflight(t *testing.T) {
	const ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
	for _, tc := range []struct {
		name  string
		depth int
		// responses fed to connection 0, and the count expected after
		// each is parsed and after the next batch may have started
		feed            []string
		parsed, resumed []int
	}{
		{"one request per batch", 1, []string{ok, ok}, []int{1, 1}, []int{2, 2}},
		{"pipelined batch of two", 2, []string{ok, ok, ok}, []int{2, 1, 2}, []int{2, 2, 2}},
		{"response without a request", 1, []string{ok + ok}, []int{1}, []int{2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := newPoller(4, false)
			if err != nil {
				t.Fatal(err)
			}
			defer p.close()
			var stop atomic.Bool
			w := &worker{
				cfg: &Config{Timeout: time.Second}, request: []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
				depth: tc.depth, stop: &stop, poll: p, conns: make([]conn, 2),
				lat: stats.NewLatency(int64(time.Second / time.Microsecond)), timeoutUS: int64(time.Second / time.Microsecond),
				series: stats.NewSeries(time.Now(), time.Second, int64(time.Second/time.Microsecond)),
			}
			for i := range w.conns {
				fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK, 0)
				if err != nil {
					t.Fatal(err)
				}
				defer unix.Close(fds[1])
				c := &w.conns[i]
				c.w, c.idx, c.fd, c.state = w, int32(i), fds[0], stConnecting
				c.onConnected()
			}
			if w.inflight != 2 {
				t.Fatalf("after the first sends: inflight = %d, want 2", w.inflight)
			}
			c := &w.conns[0]
			for i, r := range tc.feed {
				if !c.onData([]byte(r)) {
					t.Fatalf("response %d replaced the connection", i)
				}
				if w.inflight != tc.parsed[i] {
					t.Errorf("after response %d: inflight = %d, want %d (pending %d)", i, w.inflight, tc.parsed[i], c.pending)
				}
				c.afterRead()
				if w.inflight != tc.resumed[i] {
					t.Errorf("after response %d and the next send: inflight = %d, want %d (pending %d)", i, w.inflight, tc.resumed[i], c.pending)
				}
			}
			if tc.depth == 2 && c.pending != 1 {
				t.Errorf("pipelined: %d responses pending, want 1", c.pending)
			}
			c.close()
			if w.inflight != 1 {
				t.Errorf("after closing one connection: inflight = %d, want 1", w.inflight)
			}
			c.close() // a second close changes nothing
			w.conns[1].close()
			if w.inflight != 0 {
				t.Errorf("after closing both: inflight = %d, want 0", w.inflight)
			}

			start := time.Now()
			w.sampleStart, w.sampleCount = start, 100
			w.tick(start.Add(10 * time.Millisecond))
			if w.perResponse != 100*time.Microsecond {
				t.Errorf("100 responses in 10 ms: %v per response, want 100µs", w.perResponse)
			}
			w.tick(start.Add(20 * time.Millisecond))
			if w.perResponse != 0 {
				t.Errorf("no responses in an interval: %v per response, want 0 (no naps)", w.perResponse)
			}
		})
	}
}

// TestNapChooser: every probeEvery intervals one runs the other way; the
// worker switches to polling only when a polling interval served clearly
// more (pollMargin) than the recent napping ones, and back to napping when
// a napping interval served more than the recent polling ones.
func TestNapChooser(t *testing.T) {
	const d = 100 * time.Millisecond
	// step: responses in one interval and whether the next one naps
	type step struct {
		responses uint64
		nap       bool
	}
	steady := func(n int, responses uint64, nap bool) []step {
		s := make([]step, n)
		for i := range s {
			s[i] = step{responses, nap}
		}
		return s
	}
	cat := func(parts ...[]step) []step {
		var s []step
		for _, p := range parts {
			s = append(s, p...)
		}
		return s
	}
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"napping stays when the probe is no faster", cat(
			steady(probeEvery-1, 100, true),
			[]step{{100, false}}, // the probe interval polls
			[]step{{90, true}},   // polling served less: napping again
			steady(probeEvery-1, 100, true),
			[]step{{100, false}},
			[]step{{105, true}}, // 5 % more: within the margin
		)},
		{"switch to polling and back", cat(
			steady(probeEvery-1, 100, true),
			[]step{{100, false}},
			[]step{{115, false}}, // polling served 15 % more: chosen
			steady(probeEvery-1, 115, false),
			[]step{{115, true}},  // the probe interval naps
			[]step{{100, false}}, // napping served less: polling stays
			steady(probeEvery-1, 115, false),
			[]step{{115, true}},
			[]step{{120, true}}, // napping served more: chosen again
		)},
		{"no probe while nothing is served", cat(
			steady(2*probeEvery, 0, true),
		)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c napChooser
			if !c.napping() {
				t.Fatal("a fresh chooser polls; want napping first")
			}
			for i, st := range tc.steps {
				c.sample(st.responses, d)
				if c.napping() != st.nap {
					t.Fatalf("after interval %d (%d responses): napping %v, want %v (%+v)", i, st.responses, c.napping(), st.nap, c)
				}
			}
		})
	}
	// An interval of no length says nothing.
	var c napChooser
	for range 3 * probeEvery {
		c.sample(100, 0)
	}
	if c.since != 0 || c.rate != 0 {
		t.Errorf("empty intervals were counted: %+v", c)
	}
}
