// Package runner is wrkrun's benchmark engine: a wrk 4.x compatible HTTP/1.1
// (and HTTP/2) load generator built on one epoll event loop per thread.
//
// # Threads
//
// Run starts Config.Threads workers. Each is a goroutine locked to its OS
// thread that owns an epoll instance, its connections, its timers, its read
// buffer and its statistics; nothing on the request path is shared, so the
// hot path takes no locks and allocates nothing. Statistics are merged after
// the workers return.
//
// # Transports
//
// Plain TCP connections are non-blocking sockets driven by epoll readiness.
// https connections handshake on a short-lived goroutine (crypto/tls cannot
// resume a handshake after a would-block), then move to the worker's epoll:
// the worker feeds crypto/tls the ciphertext it reads and crypto/tls writes
// to the non-blocking socket. With Config.HTTP2 a connection speaks
// HTTP/2 (h2c with prior knowledge, or ALPN h2) and carries up to
// Config.Streams streams; the protocol state is package h2's. See
// docs/wrkrun-architecture.md.
//
// # Scripts
//
// A Script (the later Lua runtime) plugs into each worker: it can produce
// request batches, see responses and delay requests. Without one, every
// connection sends the same static request.
package runner

import (
	"strings"
	"time"
)

// Config describes one run. The zero value is not useful; the CLI fills it.
type Config struct {
	URL         string        // target as typed (printed in the report)
	Threads     int           // worker threads, ≥ 1
	Connections int           // total connections, ≥ Threads
	Duration    time.Duration // run length
	Timeout     time.Duration // a response later than this is a timeout
	Headers     []Header      // -H values, in order
	Verify      bool          // verify TLS certificates (wrk never does)
	// TLSNoResume makes every TLS connection a full handshake; by default
	// reconnects resume the thread's last session (tickets, TLS 1.2 and 1.3).
	TLSNoResume bool
	// TLSHybridKEX offers the X25519MLKEM768 post-quantum hybrid key
	// exchange first, as Go's default does; by default only the classic
	// curves wrk's OpenSSL 3.0 offers.
	TLSHybridKEX bool
	Script       Script // nil: static request
	Rate         int    // -R: total requests/s on a constant schedule (wrk2); 0: as fast as possible
	// StartAt, if not zero, holds the start (after every thread is
	// prepared) until this wall-clock time, so that several processes
	// start together (--start-at).
	StartAt time.Time
	// Interval is the length of the time series' intervals
	// (Summary.Timeline); 0 means one second.
	Interval time.Duration
	// HTTP2 selects HTTP/2 (--http2); Streams is the most streams one
	// connection keeps open (-m, ≥ 1; HTTP/2 only).
	HTTP2   HTTP2Mode
	Streams int
	// Progress, if set, is called about once a second during the run, from
	// Run's goroutine, never after Run returns.
	Progress func(Progress)

	// sharedProcess is a test seam: the workers never block raw in
	// epoll (see poller.wait), as if every P were taken. A standalone
	// wrkrun keeps its P while it waits; tests run several benchmarks
	// and their servers in one process, where a worker holding a P
	// starves the servers.
	sharedProcess bool
	// progressEvery is a test seam: the Progress period when not zero,
	// so that a test can end a run as soon as what it waits for happened.
	progressEvery time.Duration
}

// HTTP2Mode is --http2's choice.
type HTTP2Mode uint8

// The --http2 modes.
const (
	HTTP2Off     HTTP2Mode = iota // HTTP/1.1 only
	HTTP2Require                  // h2c prior knowledge, or ALPN "h2" required over TLS
	HTTP2Auto                     // over TLS, whatever ALPN selects (h2 preferred); h2c over http://
)

// String is the mode as --http2 and --json spell it.
func (m HTTP2Mode) String() string {
	switch m {
	case HTTP2Require:
		return "require"
	case HTTP2Auto:
		return "auto"
	}
	return "off"
}

// Progress is a live snapshot of a running benchmark.
type Progress struct {
	Elapsed  time.Duration
	Requests uint64 // completed so far
	Errors   uint64 // all kinds
	// Transport counts the failures of the connection itself (connect,
	// read, write, timeout, HTTP/2 stream and connection errors); Timeouts and Status (non-2xx/3xx) are parts
	// of Errors.
	Transport, Timeouts, Status uint64
	P99US                       int64   // highest thread p99 latency so far, µs (threads are not merged live)
	Rate                        float64 // requests/s over the last interval
}

// Header is one request header field.
type Header struct {
	Name, Value string
}

// Target is the parsed URL with wrk's interpretation.
type Target struct {
	Scheme  string
	Host    string // without brackets for IPv6
	Port    string // explicit port, "" when the URL has none
	Service string // port or, without one, the scheme (resolved like getaddrinfo)
	Path    string // path, query and fragment as typed; "/" when empty
	TLS     bool   // the scheme starts with the literal "https"
}

// HostHeader is wrk's default Host value: host, or host:port when the URL
// has an explicit port, with IPv6 literals bracketed.
func (t Target) HostHeader() string {
	h := t.Host
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if t.Port != "" {
		h += ":" + t.Port
	}
	return h
}

// BuildRequest formats the static request as wrk.format() does with no
// script: "GET path HTTP/1.1", the Host header unless -H gives one named
// exactly "Host", then the -H headers (a later duplicate name wins, like a
// Lua table), then an empty line.
func BuildRequest(t Target, headers []Header) []byte {
	var b strings.Builder
	b.WriteString("GET ")
	b.WriteString(t.Path)
	b.WriteString(" HTTP/1.1\r\n")
	last := map[string]int{}
	for i, h := range headers {
		last[h.Name] = i
	}
	if _, ok := last["Host"]; !ok {
		b.WriteString("Host: " + t.HostHeader() + "\r\n")
	}
	for i, h := range headers {
		if last[h.Name] != i {
			continue
		}
		b.WriteString(h.Name + ": " + h.Value + "\r\n")
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}
