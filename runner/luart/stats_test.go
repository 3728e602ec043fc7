package luart

import (
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/runner/stats"
)

func sampleResult() Result {
	return Result{
		Duration: 2500 * time.Millisecond, Requests: 10, Bytes: 1234,
		Errors: stats.Errors{Connect: 1, Read: 2, Write: 3, Status: 4, Timeout: 5},
		Latency: Distribution{Min: 100, Max: 900, Mean: 300, Stdev: 250.5, Count: 10,
			Buckets: []Bucket{{100, 5}, {200, 2}, {500, 2}, {900, 1}}},
		Rate: Distribution{Min: 1000, Max: 1000, Mean: 1000, Count: 3, Buckets: []Bucket{{1000, 3}}},
	}
}

func TestDoneArguments(t *testing.T) {
	src := `
function done(summary, latency, requests)
  local e = summary.errors
  print(summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout)
  print(latency.min, latency.max, latency.mean, latency.stdev)
  print(latency:percentile(50), latency:percentile(75), latency:percentile(99), latency:percentile(100))
  print(#latency, latency(1), latency(4))
  print(latency(5))
  print(#requests, requests.mean, requests:percentile(100))
  print(latency.count, latency[1], type(latency[1]))
end`
	s, out, _ := load(t, "done.lua", src, Options{Threads: 1})
	if err := s.Done(sampleResult()); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"2500000\t10\t1234\t1\t2\t3\t4\t5",
		"100\t900\t300\t250.5",
		// percentile(100) is the maximum; wrk returns 0 there.
		"200\t500\t900\t900",
		"4\t100\t900\t1",
		"0\t0",
		"1\t1000\t1000",
		// Unknown fields read as their key, as in wrk; a number key as
		// a string (wrk's lua_tostring converts it).
		"count\t1\tstring",
		"",
	}, "\n")
	if out.String() != want {
		t.Errorf("done() printed\n%s\nwant\n%s", out, want)
	}
}

func TestReportScript(t *testing.T) {
	s, out, _ := load(t, "report.lua", "", Options{Threads: 1})
	if err := s.Done(sampleResult()); err != nil {
		t.Fatal(err)
	}
	want := "p,latency\n50,200\n90,900\n99,900\n100,900\nrequests,10\n"
	if out.String() != want {
		t.Errorf("report.lua printed %q, want %q", out, want)
	}
}

func TestPercentileRule(t *testing.T) {
	d := Distribution{Max: 30, Count: 4, Buckets: []Bucket{{10, 1}, {20, 2}, {30, 1}}}
	for p, want := range map[float64]uint64{0: 10, 25: 20, 50: 20, 75: 30, 99.9: 30, 100: 30} {
		if got := d.Percentile(p); got != want {
			t.Errorf("percentile(%v) = %d, want %d", p, got, want)
		}
	}
	if (&Distribution{}).Percentile(50) != 0 {
		t.Error("empty distribution")
	}
}

func TestDoneErrors(t *testing.T) {
	s, _, _ := load(t, "done.lua", "function done(s)\n  error('bad report')\nend", Options{Threads: 1})
	err := s.Done(Result{})
	if err == nil || err.Error() != "done.lua:2: bad report (in done())" {
		t.Fatalf("err = %v", err)
	}
	s2, _, _ := load(t, "nodone.lua", "-- no done", Options{Threads: 1})
	if s2.HasDone() || s2.Done(Result{}) != nil {
		t.Error("a script without done()")
	}
}
