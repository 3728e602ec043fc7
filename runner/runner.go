package runner

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/wrklint/wrklint/runner/stats"
)

// Summary is the result of a run; see package stats.
type Summary = stats.Summary

// ResolveError is wrk's "unable to resolve host:service msg".
type ResolveError struct {
	Host, Service string
	Err           error
}

func (e *ResolveError) Error() string {
	return fmt.Sprintf("unable to resolve %s:%s %s", e.Host, e.Service, errText(e.Err))
}
func (e *ResolveError) Unwrap() error { return e.Err }

// ConnectError is wrk's "unable to connect to host:service msg": no
// resolved address accepted a test connection.
type ConnectError struct {
	Host, Service string
	Err           error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("unable to connect to %s:%s %s", e.Host, e.Service, errText(e.Err))
}
func (e *ConnectError) Unwrap() error { return e.Err }

// errText renders an error the way wrk's strerror/gai_strerror text reads.
func errText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		if dnsErr.IsNotFound {
			return "Name or service not known"
		}
		return dnsErr.Err
	}
	return err.Error()
}

// LookupPort resolves the URL's service (an explicit port, or the scheme
// as getaddrinfo reads it) to a port number.
func LookupPort(ctx context.Context, t Target) (int, error) {
	port, err := net.DefaultResolver.LookupPort(ctx, "tcp", t.Service)
	if err != nil {
		return 0, &ResolveError{Host: t.Host, Service: t.Service, Err: err}
	}
	return port, nil
}

// Connect finds the address the threads connect to, as wrk does at start:
// addrs (the host's resolved addresses, already passed by the target
// policy) are tried in order with a blocking test connection and the first
// that accepts wins. Nothing but addrs is ever dialled.
func Connect(ctx context.Context, t Target, addrs []*net.TCPAddr, timeout time.Duration) (*net.TCPAddr, error) {
	var lastErr error
	for _, addr := range addrs {
		d := net.Dialer{Timeout: timeout}
		c, err := d.DialContext(ctx, "tcp", addr.String())
		if err != nil {
			lastErr = err
			continue
		}
		c.Close()
		return addr, nil
	}
	if lastErr == nil {
		lastErr = errors.New("no address")
	}
	return nil, &ConnectError{Host: t.Host, Service: t.Service, Err: lastErr}
}

// Split returns how many connections each of n threads opens: wrk gives
// every thread c/t; the remainder, which wrk drops, goes one each to the
// first threads.
func Split(connections, threads int) []int {
	out := make([]int, threads)
	for i := range out {
		out[i] = connections / threads
		if i < connections%threads {
			out[i]++
		}
	}
	return out
}

// Started is called by Run once every thread is running; wrk prints its
// "Running …" header at that moment.
type Started func()

// Run executes the benchmark against addr and returns its summary. It
// stops after cfg.Duration, when ctx is cancelled (SIGINT), or when the
// script has stopped every thread, whichever comes first, and never writes
// to stdout. started, if not nil, is called once every thread runs. A script
// hook failure returns a *ScriptError and no summary.
func Run(ctx context.Context, cfg Config, addr *net.TCPAddr, started Started) (*Summary, error) {
	if cfg.Threads < 1 || cfg.Connections < cfg.Threads {
		return nil, fmt.Errorf("run: %d connections for %d threads", cfg.Connections, cfg.Threads)
	}
	target, err := ParseURL(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	return runPlatform(ctx, &cfg, target, addr, started)
}

// finish merges the thread statistics into the report's summary, applying
// wrk's coordinated-omission correction.
func finish(cfg *Config, start time.Time, runtime time.Duration, lats, ulats []*stats.Latency, rates []*stats.Rates,
	errs []stats.Errors, complete, bytes []uint64, statuses []*[1000]uint64) *Summary {
	s := &Summary{
		URL: cfg.URL, Duration: cfg.Duration, Threads: cfg.Threads, Connections: cfg.Connections,
		Runtime: runtime, Start: start, StartAt: cfg.StartAt,
	}
	lat := lats[0]
	for _, l := range lats[1:] {
		lat.Merge(l)
	}
	var rs stats.Rates
	for _, r := range rates {
		rs.Merge(r)
	}
	for i := range errs {
		s.Errors.Add(errs[i])
		s.Requests += complete[i]
		s.Bytes += bytes[i]
	}
	s.Rates = &rs
	s.RawLatencyHist = lat.Clone()
	runtimeUS := runtime.Microseconds()
	// -R measures from intended send times and needs no correction (wrk2).
	if per := s.Requests / uint64(cfg.Connections); per > 0 && cfg.Rate == 0 {
		lat.Correct(runtimeUS / int64(per))
	}
	if len(ulats) > 0 {
		u := ulats[0]
		for _, l := range ulats[1:] {
			u.Merge(l)
		}
		s.Rate = cfg.Rate
		s.Uncorrected = u.Dist()
		s.UncorrectedHist = u
	}
	for _, st := range statuses {
		for code, n := range st {
			if n > 0 {
				if s.StatusCodes == nil {
					s.StatusCodes = map[int]uint64{}
				}
				s.StatusCodes[code] += n
			}
		}
	}
	s.LatencyHist = lat
	s.Latency = lat.Dist()
	s.ReqPerSec = rs.Dist()
	for _, p := range stats.ReportPercentiles() {
		s.Percentiles = append(s.Percentiles, stats.Percentile{P: p, Value: s.Latency.Percentile(p)})
	}
	return s
}

// waitUntil blocks until the wall-clock time at (now if zero or past) or
// until ctx ends. The timer runs on the monotonic clock from the moment of
// the call, so a clock step during the wait is not followed: clocks are
// meant to be synchronised before the barrier, not during it.
func waitUntil(ctx context.Context, at time.Time) error {
	if at.IsZero() {
		return nil
	}
	d := time.Until(at)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("interrupted while waiting for the start at %s: %w", at.Format(time.RFC3339), ctx.Err())
	}
}
