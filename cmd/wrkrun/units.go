package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

var errUnit = errors.New("bad number or unit")

// scanUnits reads s as wrk's scan_units does with sscanf(s, "%lu%2s"):
// leading white space, an optional sign (a minus wraps around, as
// strtoull's), decimal digits (saturating at 2⁶⁴−1), then white space and
// a unit of at most two non-space characters; anything after the unit is
// ignored ("1k x" is 1000). frac also accepts a decimal fraction after the
// digits (wrkrun's extension for durations), returned as digits.
func scanUnits(s string, frac bool) (n uint64, neg bool, fraction, unit string, err error) {
	isSpace := func(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := uint64(s[i] - '0')
		if n > (math.MaxUint64-d)/10 {
			n = math.MaxUint64
		} else if n != math.MaxUint64 {
			n = n*10 + d
		}
	}
	if i == start {
		return 0, false, "", "", errUnit
	}
	if frac && i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		fraction, i = s[i+1:j], j
	}
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	j := i
	for j < len(s) && j < i+2 && !isSpace(s[j]) {
		j++
	}
	return n, neg, fraction, strings.ToLower(s[i:j]), nil
}

// parseMetric reads an unsigned integer with an optional SI suffix
// (k, M, G, T, P; case-insensitive as in wrk, so 1m is a million). A
// negative number wraps around as in wrk (-t -1 is 2⁶⁴−1 threads).
func parseMetric(s string) (uint64, error) {
	n, neg, _, unit, err := scanUnits(s, false)
	if err != nil {
		return 0, err
	}
	if neg {
		n = -n
	}
	scale := map[string]uint64{"": 1, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12, "p": 1e15}[unit]
	if scale == 0 || (n != 0 && n > math.MaxUint64/scale) {
		return 0, errUnit
	}
	return n * scale, nil
}

// parseTime reads a duration: wrk's integer with s, m or h (case-insensitive,
// seconds by default), plus two extensions: fractions (1.5s) and ms. A
// negative duration is refused (wrk would sleep for 2⁶⁴−1 seconds).
func parseTime(s string) (time.Duration, error) {
	n, neg, fraction, unit, err := scanUnits(s, true)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseFloat(strconv.FormatUint(n, 10)+"."+fraction+"0", 64)
	if err != nil || (neg && v != 0) {
		return 0, errUnit
	}
	scale := map[string]time.Duration{"": time.Second, "s": time.Second, "m": time.Minute,
		"h": time.Hour, "ms": time.Millisecond}[unit]
	if scale == 0 {
		return 0, errUnit
	}
	d := v * float64(scale)
	if d > float64(math.MaxInt64) {
		return 0, errUnit
	}
	return time.Duration(d), nil
}

// metricValue and timeValue adapt the parsers to pflag.Value. neg, when
// not nil, records whether the value was written as a negative number.
type metricValue struct {
	v   *uint64
	neg *bool
}

func (m metricValue) String() string { return strconv.FormatUint(*m.v, 10) }
func (m metricValue) Type() string   { return "N" }
func (m metricValue) Set(s string) error {
	n, err := parseMetric(s)
	if err != nil {
		return err
	}
	*m.v = n
	if m.neg != nil {
		*m.neg = n > math.MaxInt64 && strings.HasPrefix(strings.TrimSpace(s), "-")
	}
	return nil
}

type timeValue struct{ v *time.Duration }

func (t timeValue) String() string { return t.v.String() }
func (t timeValue) Type() string   { return "T" }
func (t timeValue) Set(s string) error {
	d, err := parseTime(s)
	if err != nil {
		return err
	}
	*t.v = d
	return nil
}

// parseSize reads a memory size for --script-memory: bytes, or a number
// with K, M, G (binary multiples; an optional "iB" or "B" suffix).
func parseSize(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	u := strings.ToUpper(t)
	u = strings.TrimSuffix(strings.TrimSuffix(u, "IB"), "B")
	mult := uint64(1)
	if n := len(u); n > 0 {
		switch u[n-1] {
		case 'K':
			mult, u = 1<<10, u[:n-1]
		case 'M':
			mult, u = 1<<20, u[:n-1]
		case 'G':
			mult, u = 1<<30, u[:n-1]
		}
	}
	n, err := strconv.ParseUint(u, 10, 64)
	if err != nil || n == 0 || n > (1<<63)/mult {
		return 0, fmt.Errorf("invalid size %q (want e.g. 512M, 2G)", s)
	}
	return n * mult, nil
}
