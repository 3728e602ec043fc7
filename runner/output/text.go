// Package output renders a wrkrun Summary in wrk 4.x's text format, byte for
// byte: the same unit ladders and 0.85 thresholds, the same column widths and
// truncation, "-nan%" for empty distributions and the error lines only when
// they are non-zero.
package output

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/wrklint/wrklint/runner/stats"
)

// ladder is one of wrk's unit scales; the last unit is never reached
// (wrk's loop needs a following entry to step up).
type ladder struct {
	scale float64
	units []string
}

var (
	timeUS = ladder{1000, []string{"us", "ms", "s"}}
	timeS  = ladder{60, []string{"s", "m", "h"}}
	binary = ladder{1024, []string{"", "K", "M", "G", "T", "P"}}
	metric = ladder{1000, []string{"", "k", "M", "G", "T", "P"}}
)

func formatUnits(n float64, l ladder, prec int) string {
	unit := l.units[0]
	for i := 0; i+2 < len(l.units) && n >= 0.85*l.scale; i++ {
		n /= l.scale
		unit = l.units[i+1]
	}
	return fmt.Sprintf("%.*f%s", prec, n, unit)
}

// FormatTimeUS formats microseconds as wrk's format_time_us.
func FormatTimeUS(us float64) string {
	if us >= 1e6 {
		return formatUnits(us/1e6, timeS, 2)
	}
	return formatUnits(us, timeUS, 2)
}

// FormatTimeS formats whole seconds as wrk's format_time_s (no decimals).
func FormatTimeS(s float64) string { return formatUnits(s, timeS, 0) }

// FormatBinary formats a byte count with 1024-based units (caller adds "B").
func FormatBinary(n float64) string { return formatUnits(n, binary, 2) }

// FormatMetric formats a count with 1000-based units.
func FormatMetric(n float64) string { return formatUnits(n, metric, 2) }

// unitField reproduces wrk's print_units: right-align in width-pad columns,
// truncating, then pad spaces, where pad is 2 minus the number of trailing
// letters (at most two).
func unitField(s string, width int) string {
	pad := 2
	if n := len(s); n > 0 && isAlpha(s[n-1]) {
		pad--
	}
	if n := len(s); n > 1 && isAlpha(s[n-2]) {
		pad--
	}
	w := width - pad
	if len(s) > w {
		s = s[:w]
	}
	return strings.Repeat(" ", w-len(s)) + s + "  "[:pad]
}

func isAlpha(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

// WriteHeader prints the two lines wrk prints once the threads are running.
func WriteHeader(w io.Writer, url string, d time.Duration, threads, connections int) error {
	_, err := fmt.Fprintf(w, "Running %s test @ %s\n  %d threads and %d connections\n",
		headerDuration(d), url, threads, connections)
	return err
}

// headerDuration is wrk's rendering of -d for whole seconds (10s, 1m; 90s
// is "2m" as wrk rounds it); wrk accepts nothing else, so a fraction that
// wrkrun accepts (500ms, 1.5s) is printed exactly rather than rounded.
func headerDuration(d time.Duration) string {
	if d%time.Second != 0 {
		return d.String()
	}
	return FormatTimeS(d.Seconds())
}

// WriteReport prints the statistics block; withLatency adds the
// "Latency Distribution" lines (--latency).
func WriteReport(w io.Writer, s *stats.Summary, withLatency bool) error {
	return WriteReportWith(w, s, ReportOptions{Latency: withLatency})
}

// ReportOptions choose the optional parts of the report.
type ReportOptions struct {
	Latency     bool // -L: the latency distribution
	Uncorrected bool // -U (with -R): also the uncorrected distribution
}

// WriteReportWith is WriteReport with every option. With -R (s.Rate > 0)
// the latency distribution is wrk2's: eight percentiles and the detailed
// HdrHistogram spectrum, for the corrected and, with -U, the uncorrected
// histogram.
func WriteReportWith(w io.Writer, s *stats.Summary, o ReportOptions) error {
	var b strings.Builder
	b.WriteString("  Thread Stats   Avg      Stdev     Max   +/- Stdev\n")
	writeDist(&b, "Latency", s.Latency, FormatTimeUS)
	writeDist(&b, "Req/Sec", s.ReqPerSec, FormatMetric)
	if s.Rate > 0 && (o.Latency || o.Uncorrected) {
		if err := writeHdrLatency(&b, s.LatencyHist, "Recorded Latency"); err != nil {
			return err
		}
		if o.Uncorrected {
			b.WriteString("\n")
			if err := writeHdrLatency(&b, s.UncorrectedHist, "Uncorrected Latency (measured without taking delayed starts into account)"); err != nil {
				return err
			}
		}
	} else if o.Latency {
		b.WriteString("  Latency Distribution\n")
		for _, p := range s.Percentiles {
			fmt.Fprintf(&b, "%7.0f%%%s\n", p.P, unitField(FormatTimeUS(float64(p.Value)), 10))
		}
	}
	runtimeUS := float64(s.Runtime.Microseconds())
	if s.Protocol != "" { // --http2 only: wrk's report is unchanged otherwise
		fmt.Fprintf(&b, "  Protocol: %s\n", s.Protocol)
	}
	fmt.Fprintf(&b, "  %d requests in %s, %sB read\n", s.Requests, FormatTimeUS(runtimeUS), FormatBinary(float64(s.Bytes)))
	e := s.Errors
	if e.Connect != 0 || e.Read != 0 || e.Write != 0 || e.Timeout != 0 {
		fmt.Fprintf(&b, "  Socket errors: connect %d, read %d, write %d, timeout %d\n", e.Connect, e.Read, e.Write, e.Timeout)
	}
	if e.Stream != 0 || e.Conn != 0 {
		fmt.Fprintf(&b, "  HTTP/2 errors: stream %d, connection %d\n", e.Stream, e.Conn)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, "  Non-2xx or 3xx responses: %d\n", e.Status)
	}
	secs := runtimeUS / 1e6
	fmt.Fprintf(&b, "Requests/sec: %9.2f\n", float64(s.Requests)/secs)
	fmt.Fprintf(&b, "Transfer/sec: %10sB\n", FormatBinary(float64(s.Bytes)/secs))
	_, err := io.WriteString(w, b.String())
	return err
}

// writeHdrLatency is wrk2's print_hdr_latency: the percentile rows, then
// HdrHistogram's classic percentile spectrum in milliseconds.
func writeHdrLatency(b *strings.Builder, l *stats.Latency, title string) error {
	if l == nil {
		return fmt.Errorf("no %s histogram", title)
	}
	// A round trip through the encoding hands this package its own copy.
	encoded, err := l.Encode()
	if err != nil {
		return err
	}
	h, err := hdrhistogram.Decode([]byte(encoded))
	if err != nil {
		return fmt.Errorf("decoding the latency histogram: %w", err)
	}
	fmt.Fprintf(b, "  Latency Distribution (HdrHistogram - %s)\n", title)
	for _, p := range []float64{50, 75, 90, 99, 99.9, 99.99, 99.999, 100} {
		fmt.Fprintf(b, "%7.3f%%%s\n", p, unitField(FormatTimeUS(float64(h.ValueAtQuantile(p))), 10))
	}
	b.WriteString("\n  Detailed Percentile spectrum:\n")
	var spec strings.Builder
	if _, err := h.PercentilesPrint(&spec, 5, 1000); err != nil {
		return fmt.Errorf("printing the latency spectrum: %w", err)
	}
	// hdrhistogram-go's header is tab-separated; the C library's (wrk2's)
	// is four right-aligned columns.
	body := spec.String()
	if i := strings.Index(body, "\n"); i >= 0 {
		body = body[i+1:]
	}
	fmt.Fprintf(b, "%12s %12s %12s %12s\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)")
	b.WriteString(body)
	b.WriteString("----------------------------------------------------------\n")
	return nil
}

func writeDist(b *strings.Builder, name string, d stats.Dist, format func(float64) string) {
	fmt.Fprintf(b, "    %-10s", name)
	b.WriteString(unitField(format(d.Mean), 8))
	b.WriteString(unitField(format(d.Stdev), 10))
	b.WriteString(unitField(format(float64(d.Max)), 9))
	if d.Count == 0 || math.IsNaN(d.Within) {
		// glibc prints the 0/0 of an empty distribution as -nan.
		b.WriteString("    -nan%\n")
		return
	}
	fmt.Fprintf(b, "%8.2f%%\n", d.Within)
}
