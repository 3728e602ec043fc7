// Package htmlreport renders wrkrun results (--json documents) as one
// self-contained HTML page: inline SVG charts drawn on the server, inline
// CSS, no script, and a Content-Security-Policy that forbids every load, so
// the page opens offline and fetches nothing.
package htmlreport

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/wrklint/wrklint/runner/output"
	"github.com/wrklint/wrklint/runner/stats"
)

// MaxRuns bounds the results one report overlays.
const MaxRuns = 16

// Write renders the results (several are overlaid) with their labels.
func Write(w io.Writer, results []*output.Result, labels []string) error {
	if len(results) == 0 {
		return errors.New("no results to report")
	}
	if len(results) > MaxRuns {
		return fmt.Errorf("%d results; a report overlays at most %d", len(results), MaxRuns)
	}
	if len(labels) != len(results) {
		return errors.New("one label per result")
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
	// Nothing may load: no network, no script; only the inline style.
	b.WriteString(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` + "\n")
	b.WriteString("<title>wrkrun report</title>\n<style>" + css + "</style></head><body>\n")
	b.WriteString("<h1>wrkrun report</h1>\n")
	writeSummary(&b, results, labels)
	for _, c := range charts(results, labels) {
		b.WriteString("<section>" + c.render() + "</section>\n")
	}
	writeConfig(&b, results, labels)
	b.WriteString("</body></html>\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing the HTML report: %w", err)
	}
	return nil
}

// css is the page's own style (written for this report).
const css = `body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:820px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f2f2f2}
.pass{color:#1b7a3a;font-weight:bold}.fail{color:#b3261e;font-weight:bold}
svg.chart{display:block;margin:12px 0;background:#fff;border:1px solid #ddd}
.title{font-size:14px;font-weight:bold}.tick,.legend{font-size:11px;fill:#333}
.label{font-size:12px;fill:#333}.empty{font-size:14px;fill:#999}
.grid{stroke:#e6e6e6;stroke-width:1}.frame{fill:none;stroke:#999}`

// linkSafe writes a URL as text that no scanner mistakes for a resource:
// the report shows the target, and loads nothing from it.
func linkSafe(s string) string {
	return strings.Replace(esc(s), "://", "&#58;//", 1)
}

func writeSummary(b *strings.Builder, results []*output.Result, labels []string) {
	b.WriteString("<h2>Summary</h2>\n<table><tr><th>run</th><th>requests</th><th>req/s</th><th>p50</th><th>p90</th><th>p99</th><th>max</th><th>errors</th><th>lint</th></tr>\n")
	for i, r := range results {
		e := r.Errors
		fmt.Fprintf(b, "<tr><td>%s</td><td>%d</td><td>%.1f</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%s</td></tr>\n",
			esc(labels[i]), r.Requests, r.RequestsPerSec, fmtUS(pct(r, 50)), fmtUS(pct(r, 90)), fmtUS(pct(r, 99)),
			fmtUS(float64(r.Latency.MaxUS)), e.Connect+e.Read+e.Write+e.Timeout+e.Status+e.Stream+e.Connection, esc(r.Lint.Verdict))
	}
	b.WriteString("</table>\n")
	for i, r := range results {
		if r.Interrupted {
			fmt.Fprintf(b, "<p>%s: interrupted after %.2fs; the figures cover the partial run.</p>\n", esc(labels[i]), r.RuntimeSeconds)
		}
		if len(r.Thresholds) == 0 {
			continue
		}
		fmt.Fprintf(b, "<h2>Thresholds (%s)</h2>\n<table><tr><th></th><th>threshold</th><th>measured</th></tr>\n", esc(labels[i]))
		for _, t := range r.Thresholds {
			mark, class := "✓", "pass"
			if !t.Passed {
				mark, class = "✗", "fail"
			}
			fmt.Fprintf(b, "<tr><td class=\"%s\">%s</td><td>%s</td><td>%s %s</td></tr>\n", class, mark, esc(t.Expression), esc(t.Metric), esc(measured(t)))
		}
		b.WriteString("</table>\n")
	}
}

func measured(t output.ResultThreshold) string {
	switch t.Unit {
	case "us":
		return fmtUS(t.Value)
	case "%":
		return strconv.FormatFloat(t.Value, 'f', 2, 64) + "%"
	}
	return strconv.FormatFloat(t.Value, 'f', 2, 64) + " " + t.Unit
}

func writeConfig(b *strings.Builder, results []*output.Result, labels []string) {
	b.WriteString("<h2>Configuration</h2>\n<table><tr><th>run</th><th>URL</th><th>threads</th><th>connections</th><th>duration</th><th>rate</th><th>script</th><th>lint</th><th>start</th><th>tool</th></tr>\n")
	for i, r := range results {
		c := r.Config
		rate := "unthrottled"
		if c.Rate > 0 {
			rate = strconv.Itoa(c.Rate) + "/s"
		}
		lint := r.Lint.Verdict
		if r.Lint.Detail != "" {
			lint += ": " + r.Lint.Detail
		}
		fmt.Fprintf(b, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%gs</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
			esc(labels[i]), linkSafe(c.URL), c.Threads, c.Connections, c.DurationSeconds, rate, esc(c.Script), esc(lint),
			esc(r.Run.StartTime.Format("2006-01-02 15:04:05Z07:00")), esc(r.Tool))
	}
	b.WriteString("</table>\n")
	for i, r := range results {
		if r.Paths == nil || len(r.Paths.Top) < 2 {
			continue
		}
		fmt.Fprintf(b, "<h2>Requests by path (%s)</h2>\n<table><tr><th>path</th><th>requests</th></tr>\n", esc(labels[i]))
		for _, p := range r.Paths.Top {
			fmt.Fprintf(b, "<tr><td>%s</td><td>%d</td></tr>\n", esc(p.Path), p.Requests)
		}
		if r.Paths.Other > 0 {
			fmt.Fprintf(b, "<tr><td>(other)</td><td>%d</td></tr>\n", r.Paths.Other)
		}
		b.WriteString("</table>\n")
	}
}

func pct(r *output.Result, p float64) float64 {
	for _, q := range r.Latency.Percentiles {
		if q.Percentile == p {
			return float64(q.ValueUS)
		}
	}
	return 0
}

func fmtUS(us float64) string {
	switch {
	case us >= 1e6:
		return strconv.FormatFloat(us/1e6, 'f', 2, 64) + "s"
	case us >= 1e3:
		return strconv.FormatFloat(us/1e3, 'f', 2, 64) + "ms"
	}
	return strconv.FormatFloat(us, 'f', 0, 64) + "us"
}

var (
	secondsAxis = axis{label: "seconds since start", format: fmtNum}
	msAxis      = axis{label: "latency (ms)", format: fmtNum}
)

// charts builds every chart of the report.
func charts(results []*output.Result, labels []string) []chart {
	one := len(results) == 1
	lat := chart{id: "latency-over-time", title: "Latency percentiles over time", x: secondsAxis, y: msAxis}
	thr := chart{id: "throughput-over-time", title: "Throughput over time", x: secondsAxis, y: axis{label: "requests/s", format: fmtNum}}
	errs := chart{id: "errors-over-time", title: "Errors over time", x: secondsAxis, y: axis{label: "errors/s", format: fmtNum}}
	spec := chart{id: "percentile-spectrum", title: "Latency by percentile (HdrHistogram spectrum)",
		x: axis{label: "percentile", log: true, format: spectrumLabel}, y: msAxis}
	hist := chart{id: "latency-histogram", title: "Latency histogram", x: axis{label: "latency (ms)", log: true, format: fmtNum},
		y: axis{label: "% of requests", format: fmtNum}, bars: one}
	for i, r := range results {
		name := labels[i]
		tl := r.Series
		if tl != nil {
			var p50, p90, p99, mx, rps, ers [][2]float64
			kinds := map[string][][2]float64{}
			for _, iv := range tl.Intervals {
				x := iv.StartSeconds + iv.DurationSeconds
				d := max(iv.DurationSeconds, 1e-3)
				if d < tl.IntervalSeconds/2 {
					continue // a short last interval: its rates are noise
				}
				rps = append(rps, [2]float64{x, float64(iv.Requests) / d})
				e := iv.Errors
				ers = append(ers, [2]float64{x, float64(e.Connect+e.Read+e.Write+e.Timeout+e.Status+e.Stream+e.Connection) / d})
				for k, n := range map[string]uint64{"connect": e.Connect, "read": e.Read, "write": e.Write, "timeout": e.Timeout, "status": e.Status,
					"stream": e.Stream, "connection": e.Connection} {
					kinds[k] = append(kinds[k], [2]float64{x, float64(n) / d})
				}
				if iv.Latency.Count == 0 {
					continue
				}
				l := iv.Latency
				p50 = append(p50, [2]float64{x, float64(l.P50US) / 1e3})
				p90 = append(p90, [2]float64{x, float64(l.P90US) / 1e3})
				p99 = append(p99, [2]float64{x, float64(l.P99US) / 1e3})
				mx = append(mx, [2]float64{x, float64(l.MaxUS) / 1e3})
			}
			if one {
				lat.series = append(lat.series, series{name: "p50", points: p50}, series{name: "p90", points: p90},
					series{name: "p99", points: p99}, series{name: "max", points: mx, dashed: true})
				thr.series = append(thr.series, series{name: "requests/s", points: rps})
				errs.series = append(errs.series, series{name: "all errors", points: ers})
				for _, k := range []string{"connect", "read", "write", "timeout", "status", "stream", "connection"} {
					if nonZero(kinds[k]) {
						errs.series = append(errs.series, series{name: k, points: kinds[k], dashed: true})
					}
				}
			} else {
				lat.series = append(lat.series, series{name: name + " p50", points: p50}, series{name: name + " p99", points: p99, dashed: true})
				thr.series = append(thr.series, series{name: name, points: rps})
				errs.series = append(errs.series, series{name: name, points: ers})
			}
		}
		if h := decode(r.Latency.Histogram.Data, r.Samples.LatencyMinUS, r.Latency.MaxUS); h != nil {
			label := "corrected"
			if !one {
				label = name
			}
			spec.series = append(spec.series, series{name: label, points: spectrum(h)})
			hist.series = append(hist.series, series{name: name, points: histogram(h)})
		}
		if r.Uncorrected != nil {
			if h := decode(r.Uncorrected.Histogram.Data, r.Samples.UncorrectedMinUS, r.Uncorrected.MaxUS); h != nil {
				label := name + " uncorrected"
				if one {
					label = "uncorrected"
				}
				spec.series = append(spec.series, series{name: label, points: spectrum(h), dashed: true})
			}
		}
	}
	return []chart{lat, thr, errs, spec, hist}
}

func nonZero(ps [][2]float64) bool {
	for _, p := range ps {
		if p[1] != 0 {
			return true
		}
	}
	return false
}

func decode(data string, minUS int64, maxUS uint64) *stats.Latency {
	if data == "" {
		return nil
	}
	h, err := stats.DecodeLatency(data, max(minUS, 0), max(int64(maxUS), max(minUS, 0)))
	if err != nil || h.Count() == 0 {
		return nil
	}
	return h
}

// spectrum is HdrHistogram's percentile distribution plot: x = 1/(1-p),
// on a log axis, so that 90%, 99%, 99.9% … are equally spaced.
func spectrum(h *stats.Latency) [][2]float64 {
	var out [][2]float64
	n := float64(h.Count())
	for k := 0.0; k <= 60; k++ {
		// Quarter-decade steps of 1/(1-p), up to the resolution the
		// sample count supports.
		x := math.Pow(10, k/4)
		if x > n && k > 0 {
			break
		}
		p := (1 - 1/x) * 100
		out = append(out, [2]float64{x, float64(h.Quantile(p)) / 1e3})
	}
	out = append(out, [2]float64{max(n, out[len(out)-1][0]*1.5), float64(h.Quantile(100)) / 1e3})
	return out
}

// spectrumLabel names a tick of the spectrum's axis by its percentile.
func spectrumLabel(x float64) string {
	p := (1 - 1/x) * 100
	decimals := max(int(math.Round(math.Log10(x)))-2, 0)
	return strconv.FormatFloat(p, 'f', decimals, 64) + "%"
}

// histogram bins the samples on a log scale (10 bins per decade) as
// percentages of the total.
func histogram(h *stats.Latency) [][2]float64 {
	bins := map[int]uint64{}
	total := float64(h.Count())
	for _, b := range h.Distribution() {
		v := max(float64(b.Value), 1)
		bins[int(math.Floor(math.Log10(v)*10))] += b.Count
	}
	keys := make([]int, 0, len(bins))
	for k := range bins {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	if len(keys) == 0 {
		return nil
	}
	out := make([][2]float64, 0, keys[len(keys)-1]-keys[0]+1)
	for k := keys[0]; k <= keys[len(keys)-1]; k++ { // empty bins too, so bars keep their width
		upper := math.Pow(10, float64(k+1)/10) / 1e3 // bin's upper edge, ms
		out = append(out, [2]float64{upper, float64(bins[k]) / total * 100})
	}
	return out
}
