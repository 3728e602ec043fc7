//go:build linux

package runner

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// wakeIndex marks the eventfd in epoll event data and timerIndex the
// fallback timerfd; connection events carry the connection's index instead.
const (
	wakeIndex  = -1
	timerIndex = -2
)

// poller is one worker's epoll instance plus an eventfd that other
// goroutines write to wake it (stop, TLS completions). Level-triggered:
// read interest stays armed for the life of a socket and write interest is
// armed only while a connect or a partial write is pending, so the steady
// state costs no epoll_ctl calls at all.
//
// Timeouts are exact to the nanosecond: epoll_wait's whole milliseconds
// would make every -R send up to 1 ms late, and that lateness would be
// charged to the server as latency. epoll_pwait2 (Linux 5.11) takes a
// timespec; where it is missing (ENOSYS, or EPERM from a seccomp filter) a
// timerfd in the epoll set gives the same precision.
type poller struct {
	epfd     int
	wakefd   int
	events   []unix.EpollEvent
	rawBlock bool // block in epoll_wait without telling the scheduler; see wait
	// timerfd is the fallback's timer, -1 while epoll_pwait2 works.
	timerfd int
	spin    spinner // only with rawBlock; off until the worker sets spin.max
	// epFile is a duplicate of epfd in the Go runtime's poller (an epoll
	// descriptor is readable while events are ready), for waitParked; nil
	// outside startPark and stopPark.
	epFile *os.File
	epRaw  syscall.RawConn
}

func newPoller(size int, rawBlock bool) (*poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	wakefd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return nil, fmt.Errorf("eventfd: %w", err)
	}
	p := &poller{epfd: epfd, wakefd: wakefd, events: make([]unix.EpollEvent, max(size, 16)), rawBlock: rawBlock, timerfd: -1}
	if err := p.ctl(unix.EPOLL_CTL_ADD, wakefd, unix.EPOLLIN, wakeIndex, 0); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

func (p *poller) ctl(op, fd int, events uint32, idx, gen int32) error {
	ev := unix.EpollEvent{Events: events, Fd: idx, Pad: gen}
	if err := unix.EpollCtl(p.epfd, op, fd, &ev); err != nil {
		return fmt.Errorf("epoll_ctl: %w", err)
	}
	return nil
}

// wait blocks for at most d (0: polls without blocking).
//
// With rawBlock the wait is a raw system call although it blocks. Through
// the runtime's syscall path, every wait longer than 20 µs lets sysmon take
// the P away and keeps sysmon itself polling at its fastest rate: measured,
// 15–30 % more context switches and 5–10 % more CPU per request. Blocking
// raw keeps the P, so it is only chosen when another P is free for the rest
// of the program (GOMAXPROCS > threads) and no TLS goroutines depend on
// getting one quickly. It stays safe because the runtime still preempts the
// worker: sysmon (or a GC stop) signals the thread after 10 ms, the wait
// returns EINTR and the goroutine yields at its next function call.
func (p *poller) wait(d time.Duration) (int, error) {
	if !p.rawBlock || d <= 0 || p.spin.max == 0 {
		return p.block(d) // no clock reads where polling is off (HTTP/2)
	}
	// Poll for a short while before sleeping when the last waits were
	// short (see spinner): under load the next response is usually a few
	// microseconds away.
	start := time.Now()
	if nap := p.spin.nap(d); nap > 0 {
		// Sleep on a timer, not on the sockets (see spinner.nap), then
		// take whatever arrived meanwhile.
		ts := unix.NsecToTimespec(int64(nap))
		p.spin.naps++
		_, _, _ = unix.RawSyscall(unix.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&ts)), 0, 0)
		n, errno := rawEpollWait(p.epfd, p.events, 0)
		if errno != 0 || n > 0 {
			p.spin.napped()
			return p.result(n, errno)
		}
	} else if limit := p.spin.window(d); limit > 0 {
		for {
			n, errno := rawEpollWait(p.epfd, p.events, 0)
			if errno != 0 || n > 0 {
				p.spin.observe(time.Since(start), true)
				return p.result(n, errno)
			}
			if time.Since(start) >= limit {
				break
			}
			// Let anything else runnable on this CPU (the server, on a
			// busy machine) go first: polling must not take its time.
			_, _, _ = unix.RawSyscall(unix.SYS_SCHED_YIELD, 0, 0, 0)
		}
	}
	n, err := p.block(d - time.Since(start))
	p.spin.observe(time.Since(start), n > 0)
	return n, err
}

// block is wait without the spin: it sleeps in epoll for at most d.
func (p *poller) block(d time.Duration) (int, error) {
	d = max(d, 0)
	if !p.rawBlock || d <= 0 {
		// Try without blocking first, outside the scheduler's syscall
		// state: under load something is almost always ready.
		if n, err := p.result(rawEpollWait(p.epfd, p.events, 0)); err != nil || n > 0 || d <= 0 {
			return n, err
		}
	}
	if p.timerfd < 0 {
		ts := unix.NsecToTimespec(int64(d))
		n, errno := epollPwait2(p.epfd, p.events, &ts, p.rawBlock)
		// ENOSYS: a kernel before 5.11. EPERM: a seccomp filter that
		// predates the call (older container runtimes answer EPERM for
		// system calls they do not know); epoll_pwait2 never returns it.
		if errno != unix.ENOSYS && errno != unix.EPERM {
			return p.result(n, errno)
		}
		if err := p.startTimerfd(); err != nil {
			return 0, err
		}
	}
	return p.waitTimerfd(d)
}

// startPark registers a duplicate of the epoll descriptor with the
// runtime's poller, so that waitParked can park the goroutine instead of
// blocking its thread; stopPark removes it. Registered, every event that
// becomes ready also wakes whichever thread sleeps in the runtime's
// poller: a worker stays registered only while it parks.
func (p *poller) startPark() error {
	if p.epFile != nil {
		return nil
	}
	fd, err := unix.FcntlInt(uintptr(p.epfd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("epoll dup: %w", err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return fmt.Errorf("epoll nonblock: %w", err)
	}
	f := os.NewFile(uintptr(fd), "epoll")
	rc, err := f.SyscallConn()
	if err != nil {
		_ = f.Close()
		return fmt.Errorf("epoll in the runtime poller: %w", err)
	}
	p.epFile, p.epRaw = f, rc
	return nil
}

func (p *poller) stopPark() {
	if p.epFile != nil {
		_ = p.epFile.Close()
		p.epFile, p.epRaw = nil, nil
	}
}

// waitParked is wait for a worker whose TLS handshakes run on goroutines:
// it parks the worker's goroutine in the runtime's poller (which wakes it
// when the epoll descriptor becomes readable, or at the deadline) instead
// of blocking the thread. A handshake goroutine can then run on the same
// thread, and its completion (the eventfd) reaches the worker through the
// scheduler without waking another OS thread: measured, blocking in
// epoll meanwhile made every reconnect wait on two cross-thread wake-ups.
// The deadline is a Go timer, as precise as the runtime's timers: -R,
// which needs better, never parks.
func (p *poller) waitParked(d time.Duration) (int, error) {
	if err := p.startPark(); err != nil {
		return 0, err
	}
	if n, err := p.result(rawEpollWait(p.epfd, p.events, 0)); err != nil || n > 0 || d <= 0 {
		return n, err
	}
	if err := p.epFile.SetReadDeadline(time.Now().Add(d)); err != nil {
		return 0, fmt.Errorf("epoll deadline: %w", err)
	}
	var n int
	var errno unix.Errno
	err := p.epRaw.Read(func(fd uintptr) bool {
		n, errno = rawEpollWait(int(fd), p.events, 0)
		return n != 0 || (errno != 0 && errno != unix.EINTR)
	})
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("epoll wait: %w", err)
	}
	return p.result(n, errno)
}

// result maps a wait's outcome: EINTR (a preemption signal) is an empty
// wait, not an error. The fallback timer's expiry is read away here, on
// every path, so that the caller never sees timerIndex: it may be left
// over from an earlier wait that something else ended first.
func (p *poller) result(n int, errno unix.Errno) (int, error) {
	switch errno {
	case 0:
	case unix.EINTR:
		return 0, nil
	default:
		return 0, fmt.Errorf("epoll_pwait: %w", errno)
	}
	if p.timerfd < 0 {
		return n, nil
	}
	for i := 0; i < n; i++ {
		if p.events[i].Fd == timerIndex {
			var b [8]byte
			_, _ = unix.Read(p.timerfd, b[:])
			n--
			p.events[i] = p.events[n]
			i--
		}
	}
	return n, nil
}

// startTimerfd switches to the fallback for kernels without epoll_pwait2.
func (p *poller) startTimerfd() error {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return fmt.Errorf("timerfd_create: %w", err)
	}
	if err := p.ctl(unix.EPOLL_CTL_ADD, fd, unix.EPOLLIN, timerIndex, 0); err != nil {
		unix.Close(fd)
		return err
	}
	p.timerfd = fd
	return nil
}

// waitTimerfd arms the timerfd for d and waits in epoll_pwait with a
// millisecond timeout rounded up, which only serves as a backstop: the
// timerfd's event ends the wait on time.
func (p *poller) waitTimerfd(d time.Duration) (int, error) {
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(int64(d))}
	if err := unix.TimerfdSettime(p.timerfd, 0, &spec, nil); err != nil {
		return 0, fmt.Errorf("timerfd_settime: %w", err)
	}
	msec := int((d + time.Millisecond - 1) / time.Millisecond)
	var n int
	var errno unix.Errno
	if p.rawBlock {
		n, errno = rawEpollWait(p.epfd, p.events, msec)
	} else {
		r, _, e := unix.Syscall6(unix.SYS_EPOLL_PWAIT, uintptr(p.epfd),
			uintptr(unsafe.Pointer(&p.events[0])), uintptr(len(p.events)), uintptr(msec), 0, 0)
		n, errno = int(r), e
	}
	return p.result(n, errno)
}

// wake may be called from any goroutine.
func (p *poller) wake() {
	one := [8]byte{1}
	_, _ = unix.Write(p.wakefd, one[:])
}

func (p *poller) drainWake() {
	var b [8]byte
	_, _ = unix.Read(p.wakefd, b[:])
}

func (p *poller) close() {
	if p.timerfd >= 0 {
		unix.Close(p.timerfd)
	}
	unix.Close(p.wakefd)
	p.stopPark()
	unix.Close(p.epfd)
}

// The calls below skip the runtime's syscall bookkeeping (RawSyscall). read
// and write are only made on non-blocking sockets; see wait for epoll.

func rawEpollWait(epfd int, events []unix.EpollEvent, msec int) (int, unix.Errno) {
	r, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(epfd),
		uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), uintptr(msec), 0, 0)
	return int(r), e
}

// epollPwait2 waits with a nanosecond timeout; raw only with rawBlock (see
// wait). x/sys has the system call number but no wrapper.
func epollPwait2(epfd int, events []unix.EpollEvent, ts *unix.Timespec, raw bool) (int, unix.Errno) {
	// Direct calls, not through a function value: the compiler keeps the
	// pointers converted in the argument list alive only for those.
	if raw {
		r, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT2, uintptr(epfd),
			uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), uintptr(unsafe.Pointer(ts)), 0, 0)
		return int(r), e
	}
	r, _, e := unix.Syscall6(unix.SYS_EPOLL_PWAIT2, uintptr(epfd),
		uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), uintptr(unsafe.Pointer(ts)), 0, 0)
	return int(r), e
}

func rawRead(fd int, b []byte) (int, unix.Errno) {
	r, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return -1, e
	}
	return int(r), 0
}

func rawWrite(fd int, b []byte) (int, unix.Errno) {
	r, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return -1, e
	}
	return int(r), 0
}

// How long a worker polls before it sleeps (see spinner). The gap between
// two responses the server sends is its cost per response: about 8 µs for
// nginx's plain static file on this benchmark machine and 12 µs over TLS.
// A window that bridges most gaps keeps the worker awake; a longer one
// only burns more CPU when the server is slower. Measured against one
// nginx worker, 10 µs (plain) gave the most requests/s; over TLS 8 µs
// kept 1.05–1.11× wrk's requests/s at 1.05–1.06× its CPU per request,
// where 20 µs gained no more requests/s for 1.12–1.15× the CPU and 4 µs
// lost the gain (docs/performance.md). Where the worker may nap instead,
// it does not poll.
const (
	spinPlain = 10 * time.Microsecond
	spinTLS   = 8 * time.Microsecond
)

// napMax bounds a nap, the thread's timer slack included: a response that
// arrives while the worker naps is read (and its latency taken) up to this
// much later. Against nginx (-t1 -c50, TLS), naps of ~70–100 µs as
// measured gave the most requests/s; 140 µs and more lost some.
// napShare: a nap lasts at most this fraction of the server's time for the
// requests the worker has in flight, so that the server still has work
// queued from the worker when the nap ends.
//
// Whether naps help is measured as the run goes (see napChooser): every
// probeEvery sample intervals, one runs the other way, and the worker
// switches when that one served more responses than the recent intervals
// did: to polling only when it served more than pollMargin more (polling
// costs CPU; a smaller margin flipped on noise, 3 % did on a quiet
// machine), back to napping on any gain. On a quiet machine naps win by
// 5–7 %; with a CPU-bound process beside the benchmark they lost by 13–15 %.
const (
	napMax     = 64 * time.Microsecond
	napShare   = 4
	probeEvery = 5
	pollMargin = 0.08
)

// spinner decides what a worker does when it is about to sleep in epoll
// with nothing ready.
//
// Sleeping in epoll costs the server: the server's write of the next
// response wakes the worker, from the server's own CPU (an inter-processor
// interrupt, a VM exit on a virtual machine), and the scheduler often runs
// the woken worker on that CPU, preempting the server. A worker whose loop
// is faster than the server does this for most responses.
//
// Napping avoids both: while the server has plenty of the worker's requests
// queued (many connections in flight), the worker sleeps on a timer for a
// bounded time instead, so that the wake-up comes from its own CPU's timer,
// then takes every response that arrived meanwhile in one batch. The
// server never runs dry because the nap is a fraction of the work queued
// for it. Where that is too little (few connections), the worker polls
// epoll without blocking for a short window (max) before it sleeps,
// spending its own CPU to spare the server's; both only while the recent
// idle gaps were short, so a slow server costs neither. Which of the two
// serves more responses on this machine is measured during the run
// (napChooser).
type spinner struct {
	max  time.Duration // polling window; 0: never poll
	hold bool          // the last idle gap was shorter than max

	napMax  time.Duration // the longest nap, slack included; 0: never nap
	slack   time.Duration // the thread's timer slack: a nap sleeps at least this long
	napHold bool          // the last idle gap was shorter than napMax
	// queued is the server's time for the requests the worker has in
	// flight (requests × the recent time per response), set by the
	// worker before each wait.
	queued time.Duration
	choice napChooser
	naps   uint64 // naps taken, for tests
}

// napChooser decides from measured response rates whether napping or
// polling serves more responses: the machine decides which is better (a
// wake-up's cost, other processes competing for the CPUs), not a constant.
type napChooser struct {
	off     bool    // polling was chosen
	probing bool    // this interval runs the other way
	since   int     // intervals since the last probe
	rate    float64 // responses per second in the chosen way, smoothed; 0: none yet
}

func (c *napChooser) napping() bool { return c.off == c.probing }

// sample takes one sample interval's responses and length.
func (c *napChooser) sample(responses uint64, d time.Duration) {
	if d <= 0 {
		return
	}
	r := float64(responses) / d.Seconds()
	if c.probing {
		c.probing = false
		margin := 0.0
		if !c.off {
			margin = pollMargin
		}
		if c.rate > 0 && r > c.rate*(1+margin) {
			c.off = !c.off
			c.rate = r
		}
		return
	}
	if c.rate == 0 {
		c.rate = r
	} else {
		c.rate += (r - c.rate) / 4
	}
	c.since++
	if c.since >= probeEvery && r > 0 {
		c.since = 0
		c.probing = true
	}
}

// window is how long to poll before a wait of at most d sleeps.
func (s *spinner) window(d time.Duration) time.Duration {
	if !s.hold {
		return 0
	}
	return min(s.max, d)
}

// nap is how long to ask the kernel to sleep before a wait of at most d
// polls, 0 for no nap: the sleep lasts about that plus the timer slack.
func (s *spinner) nap(d time.Duration) time.Duration {
	if s.napMax <= 0 || !s.napHold || !s.choice.napping() {
		return 0
	}
	t := min(s.napMax, s.queued/napShare)
	if t <= s.slack || t > d {
		// A nap that short is impossible (the kernel adds the slack),
		// and one past the wait's deadline would make a timer late.
		return 0
	}
	return max(t-s.slack, time.Nanosecond)
}

// napped records a nap that found events: keep napping.
func (s *spinner) napped() {
	s.napHold = true
	s.hold = false
}

// observe records one wait's idle gap: how long it took until an event
// came (got) or the wait timed out (!got).
func (s *spinner) observe(gap time.Duration, got bool) {
	s.hold = got && gap < s.max
	s.napHold = got && gap < s.napMax
}

// timerSlack is the calling thread's timer slack (the kernel's default,
// 50 µs, where it cannot be read).
func timerSlack() time.Duration {
	ns, err := unix.PrctlRetInt(unix.PR_GET_TIMERSLACK, 0, 0, 0, 0)
	if err != nil || ns < 0 {
		return 50 * time.Microsecond
	}
	return time.Duration(ns)
}
