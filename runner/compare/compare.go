// Package compare tells whether one wrkrun result is slower than another.
//
// Each metric's change is the relative difference of the two results'
// figures. A change counts as a regression only when it is worse than the
// tolerance and unlikely to be noise, judged on the per-interval samples
// of the time series:
//
//   - requests/s: a one-sided Mann–Whitney U test on the intervals'
//     throughputs (exact for small samples without ties, else the normal
//     approximation with tie and continuity corrections);
//   - latency percentiles: a bootstrap over intervals: both runs' intervals
//     are resampled with replacement, their histograms pooled, and the
//     p-value is the share of resamples in which the new percentile is not
//     above the base one. Resampling whole intervals keeps the correlation
//     of latencies within an interval.
package compare

import (
	"errors"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/wrklint/wrklint/runner/output"
	"github.com/wrklint/wrklint/runner/stats"
)

// Options tune the comparison.
type Options struct {
	Tolerance float64 // relative change that matters, e.g. 0.05
	Alpha     float64 // significance level, e.g. 0.05
	Resamples int     // bootstrap resamples
	Seed      uint64  // bootstrap seed (results are reproducible)
}

// DefaultOptions are wrkrun compare's defaults.
func DefaultOptions() Options {
	return Options{Tolerance: 0.05, Alpha: 0.05, Resamples: 1000, Seed: 1}
}

// Status is a metric's verdict.
type Status string

// The verdicts.
const (
	Unchanged   Status = "unchanged"    // within the tolerance
	Noise       Status = "noise"        // beyond the tolerance, but not significant
	Regression  Status = "regression"   // worse beyond the tolerance, significant
	Improvement Status = "improvement"  // better beyond the tolerance, significant
	Untested    Status = "insufficient" // beyond the tolerance, too few intervals to test
)

// Metric is one row of the comparison.
type Metric struct {
	Name          string  `json:"metric"`
	Unit          string  `json:"unit"`
	Base          float64 `json:"base"`
	New           float64 `json:"new"`
	ChangePercent float64 `json:"change_percent"`
	Test          string  `json:"test"`
	PValue        float64 `json:"p_value"`
	Status        Status  `json:"status"`
}

// Report is the whole comparison.
type Report struct {
	TolerancePercent float64  `json:"tolerance_percent"`
	Alpha            float64  `json:"alpha"`
	BaseIntervals    int      `json:"base_intervals"`
	NewIntervals     int      `json:"new_intervals"`
	Metrics          []Metric `json:"metrics"`
	Regressed        bool     `json:"regressed"`
}

// minIntervals is the fewest intervals per run the Mann–Whitney test is
// run on (with 3 and 3, its smallest one-sided p-value is 0.05), and
// minBootIntervals the fewest the bootstrap is.
const (
	minIntervals     = 3
	minBootIntervals = 2
)

// Compare compares newR against base.
func Compare(base, newR *output.Result, o Options) (*Report, error) {
	if o.Tolerance < 0 || math.IsNaN(o.Tolerance) || o.Alpha <= 0 || o.Alpha >= 1 {
		return nil, errors.New("tolerance must be ≥ 0 and alpha in (0, 1)")
	}
	o.Resamples = min(max(o.Resamples, 100), 100000)
	bi, ni := intervals(base), intervals(newR)
	rep := &Report{TolerancePercent: o.Tolerance * 100, Alpha: o.Alpha, BaseIntervals: len(bi), NewIntervals: len(ni)}

	// Throughput: lower is worse.
	rps := Metric{Name: "rps", Unit: "req/s", Base: base.RequestsPerSec, New: newR.RequestsPerSec, Test: "mann-whitney-u"}
	rps.ChangePercent = change(rps.Base, rps.New)
	if len(bi) >= minIntervals && len(ni) >= minIntervals {
		rps.PValue = MannWhitneyLess(rates(ni), rates(bi))
	} else {
		rps.PValue = math.NaN()
	}
	better := oppositeP(rps.PValue, rates(ni), rates(bi))
	rps.Status = verdict(-rps.ChangePercent/100, rps.PValue, better, o)
	if rps.ChangePercent > 0 {
		rps.PValue = better // the p-value of the direction of the change
	}
	rep.Metrics = append(rep.Metrics, rps)

	// Latency percentiles: higher is worse.
	boot := newBootstrap(bi, ni)
	for _, p := range []float64{50, 90, 99, 99.9} {
		m := Metric{Name: "p" + trim(p), Unit: "us", Base: pctOf(base, p), New: pctOf(newR, p), Test: "bootstrap"}
		m.ChangePercent = change(m.Base, m.New)
		worse, better := math.NaN(), math.NaN()
		if len(bi) >= minBootIntervals && len(ni) >= minBootIntervals {
			worse, better = boot.pValues(p, o)
		}
		m.PValue = worse
		if m.ChangePercent < 0 {
			m.PValue = better
		}
		m.Status = verdict(m.ChangePercent/100, worse, better, o)
		rep.Metrics = append(rep.Metrics, m)
	}
	for _, m := range rep.Metrics {
		if m.Status == Regression {
			rep.Regressed = true
		}
	}
	return rep, nil
}

// verdict judges a change where positive worse is a deterioration; pWorse
// tests "worse", pBetter "better".
func verdict(worse, pWorse, pBetter float64, o Options) Status {
	switch {
	case math.Abs(worse) <= o.Tolerance || worse == 0:
		return Unchanged
	case math.IsNaN(pWorse):
		return Untested
	case worse > 0 && pWorse <= o.Alpha:
		return Regression
	case worse < 0 && pBetter <= o.Alpha:
		return Improvement
	}
	return Noise
}

func oppositeP(p float64, a, b []float64) float64 {
	if math.IsNaN(p) {
		return p
	}
	return MannWhitneyLess(b, a)
}

func change(base, newV float64) float64 {
	if base == 0 {
		if newV == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return (newV - base) / base * 100
}

func trim(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }

func pctOf(r *output.Result, p float64) float64 {
	for _, q := range r.Latency.Percentiles {
		if q.Percentile == p {
			return float64(q.ValueUS)
		}
	}
	return 0
}

// sample is one interval's throughput and latency buckets.
type sample struct {
	rate    float64
	buckets []stats.Bucket
}

// intervals returns the result's intervals that cover at least half an
// interval (the last, partial one would bias throughput).
func intervals(r *output.Result) []sample {
	if r.Series == nil {
		return nil
	}
	var out []sample
	for _, iv := range r.Series.Intervals {
		if iv.DurationSeconds < r.Series.IntervalSeconds/2 || iv.DurationSeconds <= 0 {
			continue
		}
		s := sample{rate: float64(iv.Requests) / iv.DurationSeconds}
		if iv.Latency.Histogram != "" {
			if h, err := stats.DecodeLatency(iv.Latency.Histogram, 0, iv.Latency.MaxUS); err == nil {
				s.buckets = h.Distribution()
			}
		}
		out = append(out, s)
	}
	return out
}

func rates(s []sample) []float64 {
	out := make([]float64, len(s))
	for i, x := range s {
		out[i] = x.rate
	}
	return out
}

// MannWhitneyLess is the one-sided p-value of the Mann–Whitney U test for
// "x tends to be smaller than y".
func MannWhitneyLess(x, y []float64) float64 {
	n1, n2 := len(x), len(y)
	if n1 == 0 || n2 == 0 {
		return math.NaN()
	}
	type obs struct {
		v float64
		x bool
	}
	all := make([]obs, 0, n1+n2)
	for _, v := range x {
		all = append(all, obs{v, true})
	}
	for _, v := range y {
		all = append(all, obs{v, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v < all[j].v })
	// Mid-ranks for ties.
	var rankX, tieTerm float64
	ties := false
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].v == all[i].v {
			j++
		}
		r := float64(i+j+1) / 2
		t := float64(j - i)
		if t > 1 {
			ties = true
			tieTerm += t*t*t - t
		}
		for k := i; k < j; k++ {
			if all[k].x {
				rankX += r
			}
		}
		i = j
	}
	u := rankX - float64(n1*(n1+1))/2 // small U: x below y
	if !ties && n1+n2 <= 40 {
		return exactLE(int(math.Round(u)), n1, n2)
	}
	return normalLE(u, n1, n2, tieTerm)
}

// normalLE is P(U ≤ u) by the normal approximation, with the tie
// correction (tieTerm = Σ t³−t over groups of t tied values) and the
// continuity correction.
func normalLE(u float64, n1, n2 int, tieTerm float64) float64 {
	fn1, fn2 := float64(n1), float64(n2)
	n := fn1 + fn2
	mean := fn1 * fn2 / 2
	sd := math.Sqrt(fn1 * fn2 / 12 * ((n + 1) - tieTerm/(n*(n-1))))
	if sd == 0 {
		return 1
	}
	z := (u - mean + 0.5) / sd
	return 0.5 * math.Erfc(-z/math.Sqrt2)
}

// exactLE is P(U ≤ u) under the null for samples of n1 and n2 without
// ties, from the recursion on the number of arrangements.
func exactLE(u, n1, n2 int) float64 {
	maxU := n1 * n2
	// f[i][j] is the count distribution of U for sizes i and j.
	prev := make([][]float64, n2+1) // i-1
	for j := range prev {
		prev[j] = make([]float64, maxU+1)
		prev[j][0] = 1 // i = 0: U = 0
	}
	for i := 1; i <= n1; i++ {
		cur := make([][]float64, n2+1)
		cur[0] = make([]float64, maxU+1)
		cur[0][0] = 1
		for j := 1; j <= n2; j++ {
			cur[j] = make([]float64, maxU+1)
			for k := 0; k <= i*j; k++ {
				// The largest value is from y (U unchanged) or from x
				// (it exceeds all j values of y).
				v := cur[j-1][k]
				if k >= j {
					v += prev[j][k-j]
				}
				cur[j][k] = v
			}
		}
		prev = cur
	}
	dist := prev[n2]
	var le, total float64
	for k, c := range dist {
		total += c
		if k <= u {
			le += c
		}
	}
	return le / total
}

// bootstrap pools resampled interval histograms over one value index.
type bootstrap struct {
	values   []uint64 // distinct bucket values of both runs, ascending
	base, nw [][]idxCount
}

type idxCount struct {
	idx   int
	count uint64
}

func newBootstrap(base, nw []sample) *bootstrap {
	seen := map[uint64]bool{}
	for _, ss := range [][]sample{base, nw} {
		for _, s := range ss {
			for _, b := range s.buckets {
				seen[b.Value] = true
			}
		}
	}
	bs := &bootstrap{}
	for v := range seen {
		bs.values = append(bs.values, v)
	}
	sort.Slice(bs.values, func(i, j int) bool { return bs.values[i] < bs.values[j] })
	index := make(map[uint64]int, len(bs.values))
	for i, v := range bs.values {
		index[v] = i
	}
	conv := func(ss []sample) [][]idxCount {
		out := make([][]idxCount, 0, len(ss))
		for _, s := range ss {
			row := make([]idxCount, len(s.buckets))
			for i, b := range s.buckets {
				row[i] = idxCount{index[b.Value], b.Count}
			}
			out = append(out, row)
		}
		return out
	}
	bs.base, bs.nw = conv(base), conv(nw)
	return bs
}

// pValues returns the shares of resamples in which the new percentile is
// not above the base one (the p-value of "worse") and not below it
// ("better").
func (bs *bootstrap) pValues(p float64, o Options) (worse, better float64) {
	// A seeded generator: a comparison must be reproducible, not secret.
	rng := rand.New(rand.NewPCG(o.Seed, uint64(p*1000))) //nolint:gosec // reproducible resampling
	counts := make([]uint64, len(bs.values))
	var notWorse, notBetter int
	for range o.Resamples {
		b := bs.resample(bs.base, p, counts, rng)
		n := bs.resample(bs.nw, p, counts, rng)
		if n <= b {
			notWorse++
		}
		if n >= b {
			notBetter++
		}
	}
	return float64(notWorse) / float64(o.Resamples), float64(notBetter) / float64(o.Resamples)
}

func (bs *bootstrap) resample(ivs [][]idxCount, p float64, counts []uint64, rng *rand.Rand) uint64 {
	clear(counts)
	var total uint64
	for range ivs {
		for _, c := range ivs[rng.IntN(len(ivs))] {
			counts[c.idx] += c.count
			total += c.count
		}
	}
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(p / 100 * float64(total)))
	var cum uint64
	for i, c := range counts {
		cum += c
		if cum >= max(rank, 1) {
			return bs.values[i]
		}
	}
	return bs.values[len(bs.values)-1]
}
