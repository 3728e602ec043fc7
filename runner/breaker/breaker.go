// Package breaker stops a run whose target is visibly failing: it watches
// the live progress of a run (once a second) and trips when a condition
// holds. Conditions use the threshold grammar (runner/threshold), read the
// other way round: `--abort-on 'error_rate>50%'` stops the load when more
// than half of the last second's requests failed.
package breaker

import (
	"fmt"
	"strings"
	"time"

	"github.com/wrklint/wrklint/runner"
	"github.com/wrklint/wrklint/runner/threshold"
)

// Live lists the metrics a condition may use: the live snapshot has no
// merged histogram, so of the latencies only p99 (the highest thread's so
// far) is known during the run.
var Live = []string{"error_rate", "rps", "errors", "timeouts", "non2xx", "p99"}

// Breaker decides, snapshot after snapshot, whether to stop the run. The
// zero value never trips.
type Breaker struct {
	conds []threshold.Threshold
	// transport turns on the default breaker: transport failures above
	// half of the attempts for TransportWindow in a row.
	transport bool
	failing   int // consecutive snapshots over the transport limit
	last      runner.Progress
	seen      bool
}

// TransportWindow is how many consecutive one-second snapshots of
// mostly failing connections trip the default breaker.
const TransportWindow = 5

// Parse reads --abort-on expressions: "none" turns every breaker off, the
// default one included; otherwise each is a condition on a Live metric.
// transportDefault asks for the default breaker when no condition is given
// and "none" is not.
func Parse(exprs []string, transportDefault bool) (*Breaker, error) {
	b := &Breaker{}
	for _, e := range exprs {
		if strings.TrimSpace(e) == "none" {
			return &Breaker{}, nil
		}
		t, err := threshold.Parse(e)
		if err != nil {
			return nil, err
		}
		if !isLive(t.Metric) {
			return nil, fmt.Errorf("--abort-on %q: %s is not measured during the run (use one of %s)", e, t.Metric, strings.Join(Live, ", "))
		}
		b.conds = append(b.conds, t)
	}
	b.transport = transportDefault && len(b.conds) == 0
	return b, nil
}

func isLive(m string) bool {
	for _, l := range Live {
		if l == m {
			return true
		}
	}
	return false
}

// Active reports whether the breaker can trip at all.
func (b *Breaker) Active() bool { return b != nil && (b.transport || len(b.conds) > 0) }

// Observe takes the next snapshot and returns why the run must stop, or
// "" to go on. Rates are over the interval since the previous snapshot.
func (b *Breaker) Observe(p runner.Progress) string {
	if !b.Active() {
		return ""
	}
	prev := b.last
	if !b.seen {
		prev = runner.Progress{}
	}
	b.last, b.seen = p, true
	dReq := sub(p.Requests, prev.Requests)
	dErr := sub(p.Errors, prev.Errors)
	dTransport := sub(p.Transport, prev.Transport)
	attempts := dReq + dTransport
	if b.transport {
		if attempts > 0 && dTransport*2 > attempts {
			b.failing++
		} else {
			b.failing = 0
		}
		if b.failing >= TransportWindow {
			return fmt.Sprintf("the target is failing: %d of the last second's %d attempts failed to connect or timed out, for %d seconds in a row (--abort-on none turns this off)",
				dTransport, attempts, b.failing)
		}
		return ""
	}
	for _, c := range b.conds {
		var v float64
		var unit string
		switch c.Metric {
		case "error_rate":
			if attempts > 0 {
				v = float64(dErr) / float64(attempts) * 100
			}
			unit = "%"
		case "rps":
			v, unit = p.Rate, " req/s"
		case "errors":
			v = float64(p.Errors)
		case "timeouts":
			v = float64(p.Timeouts)
		case "non2xx":
			v = float64(p.Status)
		case "p99":
			v = float64(p.P99US)
			unit = "us"
		}
		if c.Holds(v) {
			return fmt.Sprintf("--abort-on %s: %s is %s%s at %s", c.Expr, c.Metric, trim(v), unit, p.Elapsed.Round(time.Second))
		}
	}
	return ""
}

func sub(a, b uint64) uint64 {
	if a < b {
		return 0
	}
	return a - b
}

func trim(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}
