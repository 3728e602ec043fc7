package config

import (
	"fmt"
	"time"
)

// Limits is the load above which wrkrun asks for confirmation: the host
// name typed back on a terminal, or --yes. A zero field is unlimited (in
// a file: not set).
type Limits struct {
	Connections int
	Threads     int
	Duration    time.Duration
	Rate        int // requests per second with -R
}

// DefaultLimits are generous for a laptop or a staging service and still
// stop a mistyped -c 100000 or -d 10h; .wrklint.yml's limits override them
// one by one.
func DefaultLimits() Limits {
	return Limits{Connections: 1000, Threads: 64, Duration: 10 * time.Minute, Rate: 100000}
}

// Override returns l with every non-zero field of o.
func (l Limits) Override(o Limits) Limits {
	if o.Connections > 0 {
		l.Connections = o.Connections
	}
	if o.Threads > 0 {
		l.Threads = o.Threads
	}
	if o.Duration > 0 {
		l.Duration = o.Duration
	}
	if o.Rate > 0 {
		l.Rate = o.Rate
	}
	return l
}

// Exceeded lists, one line each, the limits the planned load goes over;
// rate 0 means no -R (no fixed rate to compare).
func (l Limits) Exceeded(planned Limits) []string {
	var out []string
	if l.Connections > 0 && planned.Connections > l.Connections {
		out = append(out, fmt.Sprintf("%d connections > limits.connections %d", planned.Connections, l.Connections))
	}
	if l.Threads > 0 && planned.Threads > l.Threads {
		out = append(out, fmt.Sprintf("%d threads > limits.threads %d", planned.Threads, l.Threads))
	}
	if l.Duration > 0 && planned.Duration > l.Duration {
		out = append(out, fmt.Sprintf("duration %s > limits.duration %s", planned.Duration, l.Duration))
	}
	if l.Rate > 0 && planned.Rate > l.Rate {
		out = append(out, fmt.Sprintf("rate %d/s > limits.rate %d/s", planned.Rate, l.Rate))
	}
	return out
}
