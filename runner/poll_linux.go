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
	epfd   int
	wakefd int
	events []unix.EpollEvent
}

func newPoller(size int) (*poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	wakefd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return nil, fmt.Errorf("eventfd: %w", err)
	}
	p := &poller{epfd: epfd, wakefd: wakefd, events: make([]unix.EpollEvent, max(size, 16))}
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

// wait blocks for at most msec milliseconds. A non-blocking poll is tried
// first without entering the scheduler's syscall state: under load there
// is almost always something ready.
func (p *poller) wait(msec int) (int, error) {
	n, errno := rawEpollWait(p.epfd, p.events, 0)
	if errno == 0 && n > 0 {
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

// The calls below are made only on non-blocking descriptors, so they cannot
// block and skip the runtime's syscall bookkeeping (RawSyscall), which is a
// measurable share of a request's cost.

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
