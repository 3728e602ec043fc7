//go:build linux

package runner

import (
	"bufio"
	"context"
	"math"
	"net"
	"testing"
	"time"
)

// TestRateAccuracy: with -R against a fast local server the achieved rate
// is the asked one within 2%.
func TestRateAccuracy(t *testing.T) {
	// Not parallel, and one rate at a time: the schedule is measured
	// against the wall clock, so it must not share the CPU with other runs.
	srv := startServer(t, false, respond(okResponse("ok")))
	for _, rate := range []int{500, 2000} {
		cfg := testConfig(srv.addr, false)
		cfg.Threads, cfg.Connections, cfg.Duration, cfg.Rate = 2, 20, 2*time.Second, rate
		s, err := Run(context.Background(), cfg, srv.addr, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := float64(s.Requests) / s.Runtime.Seconds()
		// The race detector slows the event loop several times over; on a
		// busy machine the schedule then lags a little at start-up.
		tolerance := 0.02
		if raceEnabled {
			tolerance = 0.05
		}
		if math.Abs(got-float64(rate))/float64(rate) > tolerance {
			t.Errorf("-R %d: achieved %.1f req/s (%d in %v)", rate, got, s.Requests, s.Runtime)
		}
		if s.Uncorrected.Count == 0 || s.Rate != rate || s.UncorrectedHist == nil {
			t.Errorf("-R %d: uncorrected histogram missing (%d samples)", rate, s.Uncorrected.Count)
		}
	}
}

// TestRateStall: a server that stops answering for a second. Latency from
// the intended send times shows the stall (p99 near a second); latency from
// the actual send times (-U) does not, since only the few requests in
// flight during the stall waited — coordinated omission at work.
func TestRateStall(t *testing.T) {
	// Not parallel: other tests' runs would delay the requests that must
	// stay fast (the uncorrected p99).
	begin := time.Now()
	stallFrom, stallTo := begin.Add(500*time.Millisecond), begin.Add(1500*time.Millisecond)
	srv := startServer(t, false, func(s *testServer, c net.Conn) {
		r := bufio.NewReader(c)
		for s.readRequest(r) {
			if now := time.Now(); now.After(stallFrom) && now.Before(stallTo) {
				select {
				case <-time.After(stallTo.Sub(now)):
				case <-s.done:
					return
				}
			}
			if _, err := c.Write([]byte(okResponse("ok"))); err != nil {
				return
			}
		}
	})
	cfg := testConfig(srv.addr, false)
	cfg.Threads, cfg.Connections, cfg.Duration, cfg.Timeout, cfg.Rate = 1, 4, 3*time.Second, 5*time.Second, 400
	s, err := Run(context.Background(), cfg, srv.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	corrected, uncorrected := s.Latency.Percentile(99), s.Uncorrected.Percentile(99)
	t.Logf("%d requests; p99 corrected %d µs, uncorrected %d µs; max %d / %d µs", s.Requests, corrected, uncorrected, s.Latency.Max, s.Uncorrected.Max)
	if corrected < 500_000 {
		t.Errorf("corrected p99 %d µs: the one-second stall is hidden", corrected)
	}
	if uncorrected > 100_000 {
		t.Errorf("uncorrected p99 %d µs: want it unaffected by the stall", uncorrected)
	}
	if s.Uncorrected.Max < 500_000 {
		t.Errorf("uncorrected max %d µs: the requests in flight during the stall must show it", s.Uncorrected.Max)
	}
	if s.Errors.Timeout != 0 {
		t.Errorf("%d timeouts: the stall is below --timeout", s.Errors.Timeout)
	}
}
