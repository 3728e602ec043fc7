package output

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/runner/stats"
)

func TestFormatUnits(t *testing.T) {
	tests := []struct {
		name string
		f    func(float64) string
		in   float64
		want string
	}{
		{"us below threshold", FormatTimeUS, 849, "849.00us"},
		{"us to ms at 0.85", FormatTimeUS, 850, "0.85ms"},
		{"ms never reaches s", FormatTimeUS, 999999, "1000.00ms"},
		{"seconds", FormatTimeUS, 1.5e6, "1.50s"},
		{"seconds to minutes", FormatTimeUS, 51e6, "0.85m"},
		{"hours never used", FormatTimeUS, 7200e6, "120.00m"},
		{"zero", FormatTimeUS, 0, "0.00us"},
		{"duration 10s", FormatTimeS, 10, "10s"},
		{"duration 51s", FormatTimeS, 51, "1m"},
		{"duration 90s half-even", FormatTimeS, 90, "2m"},
		{"duration 150s half-even", FormatTimeS, 150, "2m"},
		{"duration 2h", FormatTimeS, 7200, "120m"},
		{"bytes", FormatBinary, 870, "870.00"}, // 0.85×1024 = 870.4
		{"bytes to K", FormatBinary, 871, "0.85K"},
		{"MiB", FormatBinary, 43.25 * 1024 * 1024, "43.25M"},
		{"metric k", FormatMetric, 21820, "21.82k"},
		{"metric plain", FormatMetric, 3, "3.00"},
	}
	for _, tt := range tests {
		if got := tt.f(tt.in); got != tt.want {
			t.Errorf("%s: format(%v) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestUnitField(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"1.06ms", 8, "  1.06ms"},
		{"1.00s", 10, "    1.00s "},
		{"13.54k", 8, " 13.54k "},
		{"0.00", 8, "  0.00  "},
		{"1000.00ms", 8, "1000.00m"}, // truncated like wrk's %*.*s
	}
	for _, tt := range tests {
		if got := unitField(tt.in, tt.width); got != tt.want {
			t.Errorf("unitField(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

func dist(count uint64, mean, stdev float64, maxV uint64, within float64) stats.Dist {
	return stats.Dist{Count: count, Mean: mean, Stdev: stdev, Max: maxV, Within: within}
}

func empty() stats.Dist { return stats.Dist{Within: math.NaN()} }

func pcts(v ...uint64) []stats.Percentile {
	var out []stats.Percentile
	for i, p := range stats.ReportPercentiles() {
		out = append(out, stats.Percentile{P: p, Value: v[i]})
	}
	return out
}

// The expected texts are real wrk 4.1.0 output from wrk-sample-output.txt;
// the statistics are chosen to be what that run measured.
func TestWriteReport(t *testing.T) {
	tests := []struct {
		name    string
		sum     stats.Summary
		latency bool
		want    string
	}{
		{
			name: "latency distribution",
			sum: stats.Summary{
				URL: "http://127.0.0.1:28731/", Duration: 2 * time.Second, Threads: 2, Connections: 10,
				Latency:     dist(54057, 1060, 2780, 45320, 94.46),
				ReqPerSec:   dist(40, 13540, 3470, 22880, 70),
				Percentiles: pcts(234, 1000, 2720, 10310),
				Requests:    54057, Bytes: 54057 * 839, Runtime: 2011214 * time.Microsecond,
			},
			latency: true,
			want: `Running 2s test @ http://127.0.0.1:28731/
  2 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.06ms    2.78ms  45.32ms   94.46%
    Req/Sec    13.54k     3.47k   22.88k    70.00%
  Latency Distribution
     50%  234.00us
     75%    1.00ms
     90%    2.72ms
     99%   10.31ms
  54057 requests in 2.01s, 43.25MB read
Requests/sec:  26877.80
Transfer/sec:     21.51MB
`,
		},
		{
			name: "status errors",
			sum: stats.Summary{
				URL: "http://127.0.0.1:28731/s404", Duration: 2 * time.Second, Threads: 1, Connections: 2,
				Latency:   dist(56955, 590.58, 1220, 9950, 87.24),
				ReqPerSec: dist(20, 28650, 6940, 38530, 65),
				Requests:  56955, Bytes: 9059635, Runtime: 2001128 * time.Microsecond,
				Errors: stats.Errors{Status: 56955},
			},
			want: `Running 2s test @ http://127.0.0.1:28731/s404
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   590.58us    1.22ms   9.95ms   87.24%
    Req/Sec    28.65k     6.94k   38.53k    65.00%
  56955 requests in 2.00s, 8.64MB read
  Non-2xx or 3xx responses: 56955
Requests/sec:  28461.45
Transfer/sec:      4.32MB
`,
		},
		{
			name: "all timeouts, empty latency",
			sum: stats.Summary{
				URL: "http://127.0.0.1:28731/slow1", Duration: 3 * time.Second, Threads: 1, Connections: 4,
				Latency:     empty(),
				ReqPerSec:   dist(3, 3, 0, 3, 100),
				Percentiles: pcts(0, 0, 0, 0),
				Requests:    12, Bytes: 2064, Runtime: 3008390 * time.Microsecond,
				Errors: stats.Errors{Timeout: 12},
			},
			latency: true,
			want: `Running 3s test @ http://127.0.0.1:28731/slow1
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
    Req/Sec     3.00      0.00     3.00    100.00%
  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  12 requests in 3.01s, 2.02KB read
  Socket errors: connect 0, read 0, write 0, timeout 12
Requests/sec:      3.99
Transfer/sec:     686.08B
`,
		},
		{
			name: "connect errors, nothing read",
			sum: stats.Summary{
				URL: "https://127.0.0.1:28731/", Duration: time.Second, Threads: 1, Connections: 2,
				Latency: empty(), ReqPerSec: empty(),
				Runtime: 1010000 * time.Microsecond,
				Errors:  stats.Errors{Connect: 1920},
			},
			want: `Running 1s test @ https://127.0.0.1:28731/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
    Req/Sec     0.00      0.00     0.00      -nan%
  0 requests in 1.01s, 0.00B read
  Socket errors: connect 1920, read 0, write 0, timeout 0
Requests/sec:      0.00
Transfer/sec:       0.00B
`,
		},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		s := tt.sum
		if err := WriteHeader(&buf, s.URL, s.Duration, s.Threads, s.Connections); err != nil {
			t.Fatal(err)
		}
		if err := WriteReport(&buf, &s, tt.latency); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != tt.want {
			t.Errorf("%s:\n--- got\n%s--- want\n%s", tt.name, got, tt.want)
		}
	}
}

// TestHeaderDuration: whole seconds exactly as wrk prints them (no
// decimals, rounded, never in hours); the fractions only wrkrun accepts
// as given, not rounded to "0s" or "2s".
func TestHeaderDuration(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{10 * time.Second, "Running 10s test"},
		{time.Minute, "Running 1m test"},
		{90 * time.Second, "Running 2m test"}, // wrk's rounding, verified
		{2 * time.Hour, "Running 120m test"},
		{500 * time.Millisecond, "Running 500ms test"},
		{1500 * time.Millisecond, "Running 1.5s test"},
		{90*time.Second + 250*time.Millisecond, "Running 1m30.25s test"},
	} {
		var b strings.Builder
		if err := WriteHeader(&b, "http://h/", tt.d, 1, 1); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := strings.Cut(b.String(), " @ "); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.d, got, tt.want)
		}
	}
}
