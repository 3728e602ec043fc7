package runner

import "time"

// schedule is one connection's constant-rate plan under -R, as in wrk2:
// batch k is due at origin + k·interval. A connection that falls behind
// sends as soon as it can, but no faster than twice the rate (wrk2's
// catch-up), until it is on pace again; latency is still measured from
// the batch's place in the original plan, so time spent behind schedule
// counts (no coordinated omission).
type schedule struct {
	origin   time.Time
	interval time.Duration // per request on this connection
	sentReqs int64         // requests sent so far

	behind       bool
	catchUpStart time.Time
	catchUpReqs  int64 // sentReqs when catch-up began
}

// next reports whether the next batch must wait, and until when.
func (s *schedule) next(now time.Time) (time.Time, bool) {
	due := s.intended()
	if due.After(now) {
		s.behind = false
		return due, true
	}
	// Less than an interval late is timer jitter, not a stall: on pace.
	// (wrk2 starts catch-up there too, which lets a later stall's
	// catch-up burst from that stale origin.)
	if now.Sub(due) < s.interval {
		s.behind = false
		return time.Time{}, false
	}
	if !s.behind {
		s.behind, s.catchUpStart, s.catchUpReqs = true, now, s.sentReqs
	}
	catchUp := s.catchUpStart.Add(time.Duration(s.sentReqs-s.catchUpReqs) * s.interval / 2)
	if catchUp.After(now) {
		return catchUp, true
	}
	return time.Time{}, false
}

// intended is the planned send time of the next batch.
func (s *schedule) intended() time.Time {
	return s.origin.Add(time.Duration(s.sentReqs) * s.interval)
}

// sent records a batch of n requests as sent.
func (s *schedule) sent(n int) { s.sentReqs += int64(n) }

// newSchedules plans the connections of a run: each connection carries
// rate/connections requests per second, and connection i of n starts
// i/n of an interval late so that the run's requests are evenly spread
// (wrk2 staggers connections 5 ms apart instead).
func newSchedules(start time.Time, rate, connections int) []schedule {
	interval := time.Duration(float64(time.Second) * float64(connections) / float64(rate))
	out := make([]schedule, connections)
	for i := range out {
		out[i] = schedule{origin: start.Add(interval * time.Duration(i) / time.Duration(connections)), interval: interval}
	}
	return out
}
