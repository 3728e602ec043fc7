package runner

import (
	"testing"
	"time"
)

func TestSchedule(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1000, 0)
	ms := time.Millisecond
	s := schedule{origin: t0, interval: 10 * ms}
	steps := []struct {
		now      time.Duration // since t0
		wait     bool
		due      time.Duration
		intended time.Duration // of the batch sent at this step
	}{
		{now: 0, intended: 0},                      // first batch due at the origin
		{now: 1 * ms, wait: true, due: 10 * ms},    // on pace: wait for the plan
		{now: 10 * ms, intended: 10 * ms},          // due now
		{now: 50 * ms, intended: 20 * ms},          // behind: send at once, latency from 20 ms
		{now: 51 * ms, wait: true, due: 55 * ms},   // catch-up at twice the rate: 5 ms apart
		{now: 55 * ms, intended: 30 * ms},          // still behind
		{now: 60 * ms, intended: 40 * ms},          // catch-up slot
		{now: 65 * ms, intended: 50 * ms},          //
		{now: 66 * ms, intended: 60 * ms},          // less than an interval late: on pace again
		{now: 67 * ms, wait: true, due: 70 * ms},   // the plan
		{now: 200 * ms, intended: 70 * ms},         // long stall: intended times stay on the plan
		{now: 200 * ms, wait: true, due: 205 * ms}, // and catch-up never exceeds twice the rate
	}
	for i, st := range steps {
		due, wait := s.next(t0.Add(st.now))
		if wait != st.wait || (wait && !due.Equal(t0.Add(st.due))) {
			t.Fatalf("step %d at %v: wait=%v due=%v, want wait=%v due=%v", i, st.now, wait, due.Sub(t0), st.wait, st.due)
		}
		if !wait {
			if got := s.intended().Sub(t0); got != st.intended {
				t.Fatalf("step %d: intended %v, want %v", i, got, st.intended)
			}
			s.sent(1)
		}
	}
}

func TestNewSchedules(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1000, 0)
	ss := newSchedules(t0, 1000, 4) // 250/s per connection: 4 ms apart
	for i, s := range ss {
		if s.interval != 4*time.Millisecond || s.origin.Sub(t0) != time.Duration(i)*time.Millisecond {
			t.Errorf("connection %d: origin +%v interval %v", i, s.origin.Sub(t0), s.interval)
		}
	}
}
