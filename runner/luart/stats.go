package luart

import (
	"math"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/wrklint/wrklint/runner/stats"

	"github.com/wrklint/wrklint/internal/lualib"
)

// Result is what done(summary, latency, requests) receives.
type Result struct {
	Duration time.Duration // summary.duration (µs in Lua)
	Requests uint64        // completed responses
	Bytes    uint64
	Errors   stats.Errors
	// HTTP2: the run asked for HTTP/2, and summary.errors has stream
	// and connection.
	HTTP2   bool
	Latency Distribution // µs
	Rate    Distribution // per-thread requests/s samples
}

// Distribution is the data behind a stats object (wrk.stats).
type Distribution struct {
	Min, Max    uint64
	Mean, Stdev float64
	// Count is the number of samples, synthetic ones included; percentile
	// ranks are computed against it, as in wrk.
	Count uint64
	// Buckets are the distinct values in ascending order with their
	// counts: s(i) and #s.
	Buckets []Bucket
	// percentile, when set, answers instead of Buckets (a stats.Dist).
	percentile func(float64) uint64
}

// Bucket is one distinct recorded value and how often it was recorded.
type Bucket struct {
	Value, Count uint64
}

// Percentile uses wrk's rank, round(p/100·count + 0.5), and returns the
// first value whose cumulative count reaches it. When the rank is beyond
// the samples (p = 100) it returns Max, where wrk returns 0.
func (d *Distribution) Percentile(p float64) uint64 {
	if d.percentile != nil {
		return d.percentile(p)
	}
	if d.Count == 0 {
		return 0
	}
	rank := uint64(math.Round(p/100*float64(d.Count) + 0.5))
	var total uint64
	for _, b := range d.Buckets {
		total += b.Count
		if total >= rank {
			return b.Value
		}
	}
	return d.Max
}

// unknownField is what wrk's __index functions return for a field they do
// not know: the key after lua_tostring, which turns a number key into a
// string in place (latency[1] is "1").
func unknownField(key lua.LValue) lua.LValue {
	if n, ok := key.(lua.LNumber); ok {
		return lua.LString(lualib.FormatNumber(float64(n)))
	}
	return key
}

func (st *state) newStatsMeta() *lua.LTable {
	ls := st.ls
	mt := ls.NewTable()
	percentile := ls.NewFunction(func(ls *lua.LState) int {
		d := checkStats(ls, 1)
		ls.Push(lua.LNumber(d.Percentile(float64(ls.CheckNumber(2)))))
		return 1
	})
	mt.RawSetString("__index", ls.NewFunction(func(ls *lua.LState) int {
		d := checkStats(ls, 1)
		key := ls.Get(2)
		switch key.String() {
		case "min":
			ls.Push(lua.LNumber(d.Min))
		case "max":
			ls.Push(lua.LNumber(d.Max))
		case "mean":
			ls.Push(lua.LNumber(d.Mean))
		case "stdev":
			ls.Push(lua.LNumber(d.Stdev))
		case "percentile":
			ls.Push(percentile)
		default:
			ls.Push(unknownField(key))
		}
		return 1
	}))
	// s(i): the i-th distinct value and its count; 0, 0 past the end.
	mt.RawSetString("__call", ls.NewFunction(func(ls *lua.LState) int {
		d := checkStats(ls, 1)
		i := ls.CheckInt(2)
		if i < 1 || i > len(d.Buckets) {
			ls.Push(lua.LNumber(0))
			ls.Push(lua.LNumber(0))
			return 2
		}
		ls.Push(lua.LNumber(d.Buckets[i-1].Value))
		ls.Push(lua.LNumber(d.Buckets[i-1].Count))
		return 2
	}))
	mt.RawSetString("__len", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(lua.LNumber(len(checkStats(ls, 1).Buckets)))
		return 1
	}))
	mt.RawSetString("__metatable", lua.LString("wrk.stats"))
	return mt
}

func checkStats(ls *lua.LState, i int) *Distribution {
	if ud, ok := ls.Get(i).(*lua.LUserData); ok {
		if d, ok := ud.Value.(*Distribution); ok {
			return d
		}
	}
	ls.ArgError(i, "wrk.stats expected, got "+ls.Get(i).Type().String())
	return nil
}

func (st *state) newStats(d Distribution) *lua.LUserData {
	ud := st.ls.NewUserData()
	ud.Value = &d
	ud.Metatable = st.statsMeta
	return ud
}

// summaryTable is done()'s first argument.
func (st *state) summaryTable(r *Result) *lua.LTable {
	ls := st.ls
	t := ls.NewTable()
	t.RawSetString("duration", lua.LNumber(r.Duration.Microseconds()))
	t.RawSetString("requests", lua.LNumber(r.Requests))
	t.RawSetString("bytes", lua.LNumber(r.Bytes))
	e := ls.NewTable()
	e.RawSetString("connect", lua.LNumber(r.Errors.Connect))
	e.RawSetString("read", lua.LNumber(r.Errors.Read))
	e.RawSetString("write", lua.LNumber(r.Errors.Write))
	e.RawSetString("status", lua.LNumber(r.Errors.Status))
	e.RawSetString("timeout", lua.LNumber(r.Errors.Timeout))
	if r.HTTP2 { // --http2 only: wrk's table is unchanged otherwise
		e.RawSetString("stream", lua.LNumber(r.Errors.Stream))
		e.RawSetString("connection", lua.LNumber(r.Errors.Conn))
	}
	t.RawSetString("errors", e)
	return t
}

// FromSummary converts a finished run's summary into done()'s arguments.
func FromSummary(s *stats.Summary) Result {
	return Result{
		Duration: s.Runtime, Requests: s.Requests, Bytes: s.Bytes, Errors: s.Errors, HTTP2: s.Protocol != "",
		Latency: fromDist(s.Latency), Rate: fromDist(s.ReqPerSec),
	}
}

// fromDist keeps wrk's conventions: min is 2^64-1 when nothing was
// recorded, percentiles use the engine's rank rule (100 is the maximum).
func fromDist(d stats.Dist) Distribution {
	out := Distribution{Max: d.Max, Mean: d.Mean, Stdev: d.Stdev, Count: d.Count, Min: math.MaxUint64}
	if d.Count > 0 {
		out.Min = d.Min()
		out.percentile = d.Percentile
		for _, b := range d.Buckets() {
			out.Buckets = append(out.Buckets, Bucket{Value: b.Value, Count: b.Count})
		}
	}
	return out
}
