package main

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

var errUnit = errors.New("bad number or unit")

// splitUnit separates the leading number from a unit of at most two
// characters, as wrk's scan_units does. frac allows a decimal fraction.
func splitUnit(s string, frac bool) (num, unit string, err error) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if frac && i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	num, unit = s[:i], s[i:]
	if num == "" || num == "." || len(unit) > 2 || strings.ContainsAny(unit, " \t") {
		return "", "", errUnit
	}
	return num, strings.ToLower(unit), nil
}

// parseMetric reads an unsigned integer with an optional SI suffix
// (k, M, G, T, P; case-insensitive as in wrk, so 1m is a million).
func parseMetric(s string) (uint64, error) {
	num, unit, err := splitUnit(s, false)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return 0, errUnit
	}
	scale := map[string]uint64{"": 1, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12, "p": 1e15}[unit]
	if scale == 0 || (n != 0 && n > math.MaxUint64/scale) {
		return 0, errUnit
	}
	return n * scale, nil
}

// parseTime reads a duration: wrk's integer with s, m or h (case-insensitive,
// seconds by default), plus two extensions: fractions (1.5s) and ms.
func parseTime(s string) (time.Duration, error) {
	num, unit, err := splitUnit(s, true)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
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

// metricValue and timeValue adapt the parsers to pflag.Value.
type metricValue struct{ v *uint64 }

func (m metricValue) String() string { return strconv.FormatUint(*m.v, 10) }
func (m metricValue) Type() string   { return "N" }
func (m metricValue) Set(s string) error {
	n, err := parseMetric(s)
	if err != nil {
		return err
	}
	*m.v = n
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
