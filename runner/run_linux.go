//go:build linux

package runner

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wrklint/wrklint/runner/stats"
)

// maxCorrectedUS bounds -R's corrected latencies (24 h, as wrk2).
const maxCorrectedUS = int64(24 * time.Hour / time.Microsecond)

func runPlatform(ctx context.Context, cfg *Config, target Target, addr *net.TCPAddr, started Started) (*Summary, error) {
	if err := checkHTTP2(ctx, cfg, target, addr); err != nil {
		return nil, err
	}
	var stop atomic.Bool
	request := BuildRequest(target, cfg.Headers)
	var caps ScriptCaps
	if cfg.Script != nil {
		caps = cfg.Script.Caps()
	}
	depth := max(caps.Depth, 1)

	timeoutUS := cfg.Timeout.Microseconds()
	workers := make([]*worker, cfg.Threads)
	defer func() {
		for _, w := range workers {
			if w != nil && w.poll != nil {
				w.poll.close()
			}
		}
	}()
	// Handshake goroutines need a P while the workers block raw: that is
	// the P left over when GOMAXPROCS > threads.
	rawBlock := runtime.GOMAXPROCS(0) > cfg.Threads && !cfg.sharedProcess
	for i, n := range Split(cfg.Connections, cfg.Threads) {
		p, err := newPoller(n+1, rawBlock)
		if err != nil {
			return nil, fmt.Errorf("unable to create thread %d: %w", i, err)
		}
		// Poll before sleeping only where a spare P exists (the poller
		// polls only when it blocks raw), and not for HTTP/2: with many
		// streams per connection its worker rarely sleeps between
		// responses anyway, and polling measured +55 % client CPU per
		// request for +6–13 % requests/s against nginx.
		switch {
		case cfg.HTTP2 != HTTP2Off:
		case target.TLS:
			p.spin.max = spinTLS
		default:
			p.spin.max = spinPlain
		}
		// Nap where polling is on (see spinner), but not under -R: its
		// sends follow a schedule, not the responses, and its workers
		// rarely have many requests in flight.
		if p.spin.max > 0 && cfg.Rate <= 0 {
			p.spin.napMax = napMax
		}
		var tlsConfs tlsConfigs
		var plain []byte
		if target.TLS {
			tlsConfs = newTLSConfigs(cfg, target, n)
			plain = make([]byte, 16<<10) // a record's plaintext at most
		}
		var ts ThreadScript
		threadAddr := addr
		if cfg.Script != nil {
			var err error
			if ts, err = cfg.Script.NewThread(i); err != nil {
				return nil, &ScriptError{Thread: i, Err: err}
			}
			if ta, ok := ts.(ThreadAddr); ok {
				if a := ta.Addr(); a != nil {
					threadAddr = a
				}
			}
		}
		// Each worker gets its own Sockaddr: x/sys caches the raw form
		// inside it on every connect.
		sa, family := sockaddr(threadAddr)
		w := &worker{
			id: i, cfg: cfg, addr: sa, family: family, tlsAddr: threadAddr.String(), tlsConf: tlsConfs.full, tlsConfs: tlsConfs,
			caps: caps, request: request, depth: depth, stop: &stop,
			poll: p, conns: make([]conn, n), buf: make([]byte, readBufSize), plain: plain,
			lat: stats.NewLatency(timeoutUS), timeoutUS: timeoutUS,
		}
		if cfg.Rate > 0 {
			// Corrected latencies include time behind schedule and may
			// exceed --timeout: wrk2 keeps them up to a day.
			w.rate, w.lat, w.ulat = true, stats.NewLatency(maxCorrectedUS), stats.NewLatency(timeoutUS)
			w.lag = stats.NewLatency(maxCorrectedUS)
		}
		if ts != nil {
			w.script = ts
			var err error
			if !caps.Request {
				if w.request, err = ts.StaticRequest(); err != nil {
					return nil, &ScriptError{Thread: i, Err: err}
				}
			}
		}
		if cfg.HTTP2 != HTTP2Off {
			var err error
			if w.h2, err = newH2Worker(cfg, target, w.request); err != nil {
				return nil, err
			}
		}
		for j := range w.conns {
			c := &w.conns[j]
			c.w, c.idx, c.fd = w, int32(j), -1
			if w.h2 != nil {
				c.h2 = newH2Client(c, cfg.Streams, caps.Response, w.h2.cache)
			}
			if caps.Response {
				c.resp = &respCollector{}
				c.parser.Sink = c.resp
			}
		}
		workers[i] = w
	}

	// Everything is prepared: a --start-at barrier costs only the time
	// from here to the first connect.
	if err := waitUntil(ctx, cfg.StartAt); err != nil {
		return nil, err
	}
	start := time.Now()
	for _, w := range workers {
		limit := w.timeoutUS
		if w.rate {
			limit = maxCorrectedUS
		}
		w.series = stats.NewSeries(start, cfg.Interval, limit)
	}
	if cfg.Rate > 0 {
		scheds := newSchedules(start, cfg.Rate, cfg.Connections)
		k := 0
		for _, w := range workers {
			for j := range w.conns {
				w.conns[j].sched = scheds[k]
				k++
			}
		}
	}
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				// A failed thread ends the run. One that the script
				// stopped does not (as in wrk) unless all of them are
				// stopped: then done closes.
				if w.err != nil {
					stop.Store(true)
					for _, o := range workers {
						o.wake()
					}
				}
			}()
			w.run()
		}()
	}
	if started != nil {
		started()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	timer := time.NewTimer(cfg.Duration)
	defer timer.Stop()
	var progress <-chan time.Time
	if cfg.Progress != nil {
		every := time.Second
		if cfg.progressEvery > 0 {
			every = cfg.progressEvery
		}
		t := time.NewTicker(every)
		defer t.Stop()
		progress = t.C
	}
	var lastReqs uint64
	lastAt := start
	interrupted := false
wait:
	for {
		select {
		case <-timer.C:
			break wait
		case <-ctx.Done():
			interrupted = true
			break wait
		case <-done:
			break wait
		case now := <-progress:
			p := Progress{Elapsed: now.Sub(start)}
			for _, w := range workers {
				p.Requests += w.live.requests.Load()
				p.Errors += w.live.errors.Load()
				p.Transport += w.live.transport.Load()
				p.Timeouts += w.live.timeouts.Load()
				p.Status += w.live.status.Load()
				p.P99US = max(p.P99US, w.live.p99.Load())
			}
			if d := now.Sub(lastAt).Seconds(); d > 0 && p.Requests >= lastReqs {
				p.Rate = float64(p.Requests-lastReqs) / d
			}
			lastReqs, lastAt = p.Requests, now
			cfg.Progress(p)
		}
	}
	stop.Store(true)
	for _, w := range workers {
		w.wake()
	}
	<-done
	elapsed := time.Since(start)

	lats := make([]*stats.Latency, len(workers))
	var ulats, lags []*stats.Latency
	if cfg.Rate > 0 {
		ulats = make([]*stats.Latency, len(workers))
		lags = make([]*stats.Latency, len(workers))
	}
	rates := make([]*stats.Rates, len(workers))
	errs := make([]stats.Errors, len(workers))
	complete := make([]uint64, len(workers))
	bytes := make([]uint64, len(workers))
	statuses := make([]*[1000]uint64, len(workers))
	for i, w := range workers {
		if w.err != nil {
			return nil, w.err
		}
		lats[i], rates[i], errs[i], complete[i], bytes[i] = w.lat, &w.rates, w.errs, w.complete, w.bytes
		statuses[i] = &w.statuses
		if ulats != nil {
			ulats[i], lags[i] = w.ulat, w.lag
		}
	}
	s := finish(cfg, start, elapsed, lats, ulats, rates, errs, complete, bytes, statuses)
	s.Interrupted = interrupted
	s.Protocol = protocol(cfg, workers)
	limit := workers[0].timeoutUS
	if cfg.Rate > 0 {
		limit = maxCorrectedUS
	}
	threads := make([][]stats.Interval, len(workers))
	for i, w := range workers {
		threads[i] = w.series.Finish()
		if w.staticSends > 0 {
			w.paths.AddRequest(w.request, w.staticSends*uint64(w.depth))
		}
		s.Paths.Merge(w.paths)
	}
	s.Timeline = stats.MergeThreads(start, workers[0].series.Interval(), limit, threads)
	s.Timeline.Lag = cfg.Rate > 0
	s.Timeline.FoldTail(elapsed)
	if target.TLS {
		s.TLS = &stats.TLSHandshakes{}
		for _, w := range workers {
			s.TLS.Full += w.tlsFull
			s.TLS.Resumed += w.tlsResumed
		}
	}
	if len(lags) > 0 {
		s.ScheduleLagHist = lags[0]
		for _, l := range lags[1:] {
			s.ScheduleLagHist.Merge(l)
		}
	}
	return s, nil
}

func sockaddr(addr *net.TCPAddr) (unix.Sockaddr, int) {
	if ip4 := addr.IP.To4(); ip4 != nil {
		s := &unix.SockaddrInet4{Port: addr.Port}
		copy(s.Addr[:], ip4)
		return s, unix.AF_INET
	}
	s := &unix.SockaddrInet6{Port: addr.Port}
	copy(s.Addr[:], addr.IP.To16())
	if addr.Zone != "" {
		if ifi, err := net.InterfaceByName(addr.Zone); err == nil {
			s.ZoneId = uint32(ifi.Index)
		}
	}
	return s, unix.AF_INET6
}
