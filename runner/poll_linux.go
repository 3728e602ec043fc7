//go:build linux

package runner

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// wakeIndex marks the eventfd in epoll event data; connection events carry
// the connection's index instead.
const wakeIndex = -1

// poller is one worker's epoll instance plus an eventfd that other
// goroutines write to wake it (stop, TLS completions). Level-triggered:
// read interest stays armed for the life of a socket and write interest is
// armed only while a connect or a partial write is pending, so the steady
// state costs no epoll_ctl calls at all.
type poller struct {
	epfd     int
	wakefd   int
	events   []unix.EpollEvent
	rawBlock bool // block in epoll_wait without telling the scheduler; see wait
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
	p := &poller{epfd: epfd, wakefd: wakefd, events: make([]unix.EpollEvent, max(size, 16)), rawBlock: rawBlock}
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

// wait blocks for at most msec milliseconds.
//
// With rawBlock the wait is a raw system call although it blocks. Through
// the runtime's syscall path, every wait longer than 20 µs lets sysmon take
// the P away and keeps sysmon itself polling at its fastest rate: measured,
// 15–30 % more context switches and 5–10 % more CPU per request. Blocking
// raw keeps the P, so it is only chosen when another P is free for the rest
// of the program (GOMAXPROCS > threads) and no TLS goroutines depend on
// getting one quickly. It stays safe because the runtime still preempts the
// worker: sysmon (or a GC stop) signals the thread after 10 ms, epoll_wait
// returns EINTR and the goroutine yields at its next function call.
func (p *poller) wait(msec int) (int, error) {
	if p.rawBlock {
		n, errno := rawEpollWait(p.epfd, p.events, msec)
		switch errno {
		case 0:
			return n, nil
		case unix.EINTR:
			return 0, nil
		default:
			return 0, fmt.Errorf("epoll_wait: %w", errno)
		}
	}
	// Try without blocking first, outside the scheduler's syscall state:
	// under load something is almost always ready.
	if n, errno := rawEpollWait(p.epfd, p.events, 0); errno == 0 && n > 0 {
		return n, nil
	}
	if msec == 0 {
		return 0, nil
	}
	n, err := unix.EpollWait(p.epfd, p.events, msec)
	if err == unix.EINTR {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("epoll_wait: %w", err)
	}
	return n, nil
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
	unix.Close(p.wakefd)
	unix.Close(p.epfd)
}

// The calls below skip the runtime's syscall bookkeeping (RawSyscall). read
// and write are only made on non-blocking sockets; see wait for epoll.

func rawEpollWait(epfd int, events []unix.EpollEvent, msec int) (int, unix.Errno) {
	r, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(epfd),
		uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), uintptr(msec), 0, 0)
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
