package htmlreport

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// A small SVG chart writer of our own. The Go charting libraries either
// draw with JavaScript in the browser (go-echarts), are archived
// (wcharczuk/go-chart), or embed font data and a drawing stack for what
// here is a handful of line and bar charts (gonum/plot); this one writes
// plain inline SVG that needs nothing at view time.

// chart geometry, in SVG user units.
const (
	chartW, chartH         = 760, 300
	padL, padR, padT, padB = 70, 20, 30, 60
	plotW, plotH           = chartW - padL - padR, chartH - padT - padB
	legendRowH             = 16
	maxPoints              = 2000 // per line
)

// palette is a set of colours distinguishable on white, in the order
// series take them.
var palette = []string{"#1f6fb2", "#d1495b", "#2a9d55", "#e39b1b", "#7b4fa8", "#3aa6a6", "#8c564b", "#555555"}

// series is one line (or, in a bar chart, one set of bars).
type series struct {
	name   string
	points [][2]float64 // x, y
	dashed bool
}

// axis describes one axis: its label and whether it is logarithmic.
type axis struct {
	label string
	log   bool
	// format renders a tick value.
	format func(float64) string
}

type chart struct {
	id, title string
	x, y      axis
	series    []series
	bars      bool // draw the first series as bars
}

// render writes the chart as an <svg> element. An empty chart says so
// instead of drawing axes around nothing.
func (c chart) render() string {
	var b strings.Builder
	legendH := legendRowH * ((len(c.series) + 2) / 3)
	h := chartH + legendH
	fmt.Fprintf(&b, `<svg id="%s" class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`,
		esc(c.id), chartW, h, chartW, h, esc(c.title))
	fmt.Fprintf(&b, `<text x="%d" y="18" class="title">%s</text>`, padL, esc(c.title))
	xmin, xmax, ymin, ymax, ok := c.bounds()
	if !ok {
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="empty">no data</text></svg>`, chartW/2-30, chartH/2)
		return b.String()
	}
	sx := scale(xmin, xmax, c.x.log, padL, padL+plotW)
	sy := scale(ymin, ymax, c.y.log, padT+plotH, padT)
	// Grid and ticks.
	for _, t := range ticks(xmin, xmax, c.x.log) {
		x := sx(t)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" class="grid"/>`, x, padT, x, padT+plotH)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="tick" text-anchor="middle">%s</text>`, x, padT+plotH+16, esc(c.x.format(t)))
	}
	for _, t := range ticks(ymin, ymax, c.y.log) {
		y := sy(t)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="grid"/>`, padL, y, padL+plotW, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" class="tick" text-anchor="end">%s</text>`, padL-6, y+4, esc(c.y.format(t)))
	}
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" class="frame"/>`, padL, padT, plotW, plotH)
	fmt.Fprintf(&b, `<text x="%d" y="%d" class="label" text-anchor="middle">%s</text>`, padL+plotW/2, padT+plotH+38, esc(c.x.label))
	fmt.Fprintf(&b, `<text x="16" y="%d" class="label" text-anchor="middle" transform="rotate(-90 16 %d)">%s</text>`,
		padT+plotH/2, padT+plotH/2, esc(c.y.label))
	for i, s := range c.series {
		color := palette[i%len(palette)]
		if c.bars && i == 0 {
			writeBars(&b, s, sx, sy, color, ymin)
			continue
		}
		writeLine(&b, s, sx, sy, color)
	}
	for i, s := range c.series {
		col, row := i%3, i/3
		x, y := padL+col*230, chartH+row*legendRowH-8
		dash := ""
		if s.dashed {
			dash = ` stroke-dasharray="5 3"`
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"%s/>`, x, y-4, x+18, y-4, palette[i%len(palette)], dash)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="legend">%s</text>`, x+24, y, esc(s.name))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func writeLine(b *strings.Builder, s series, sx, sy func(float64) float64, color string) {
	if len(s.points) == 0 {
		return
	}
	dash := ""
	if s.dashed {
		dash = ` stroke-dasharray="5 3"`
	}
	b.WriteString(`<polyline class="series" fill="none" stroke-width="2" stroke="` + color + `"` + dash + ` points="`)
	// More points than the chart has pixels only make the page heavy (a
	// long run at 100 ms intervals): every stride-th point is drawn.
	stride := max(1, (len(s.points)+maxPoints-1)/maxPoints)
	for i := 0; i < len(s.points); i += stride {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(b, "%.1f,%.1f", sx(s.points[i][0]), sy(s.points[i][1]))
	}
	b.WriteString(`"/>`)
	if len(s.points) == 1 { // a single point would draw nothing
		fmt.Fprintf(b, `<circle class="series" cx="%.1f" cy="%.1f" r="3" fill="%s"/>`, sx(s.points[0][0]), sy(s.points[0][1]), color)
	}
}

// writeBars draws each point as a bar from the previous point's x to its
// own (the first bar as wide as the second).
func writeBars(b *strings.Builder, s series, sx, sy func(float64) float64, color string, ymin float64) {
	base := sy(ymin)
	for i, p := range s.points {
		var x0 float64
		switch {
		case i > 0:
			x0 = sx(s.points[i-1][0])
		case len(s.points) > 1:
			x0 = 2*sx(p[0]) - sx(s.points[1][0])
		default:
			x0 = sx(p[0]) - 4
		}
		x1 := sx(p[0])
		y := sy(p[1])
		fmt.Fprintf(b, `<rect class="series bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`,
			min(x0, x1), y, max(math.Abs(x1-x0)-0.5, 0.5), max(base-y, 0), color)
	}
}

// bounds is the data's range, widened to start at 0 on linear y axes.
func (c chart) bounds() (xmin, xmax, ymin, ymax float64, ok bool) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, s := range c.series {
		for _, p := range s.points {
			if !finite(p[0]) || !finite(p[1]) || c.x.log && p[0] <= 0 || c.y.log && p[1] <= 0 {
				continue
			}
			xmin, xmax = min(xmin, p[0]), max(xmax, p[0])
			ymin, ymax = min(ymin, p[1]), max(ymax, p[1])
			ok = true
		}
	}
	if !ok {
		return 0, 0, 0, 0, false
	}
	if !c.y.log {
		ymin = min(ymin, 0)
		ymax = niceCeil(ymax)
	}
	if xmax == xmin {
		xmax = xmin + 1
	}
	if ymax == ymin {
		ymax = ymin + 1
	}
	return xmin, xmax, ymin, ymax, true
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// scale maps [lo, hi] onto [a, b], logarithmically when log is set.
func scale(lo, hi float64, log bool, a, b float64) func(float64) float64 {
	if log {
		lo, hi = math.Log10(lo), math.Log10(hi)
		return func(v float64) float64 {
			if v <= 0 {
				return a
			}
			return a + (math.Log10(v)-lo)/(hi-lo)*(b-a)
		}
	}
	return func(v float64) float64 { return a + (v-lo)/(hi-lo)*(b-a) }
}

// ticks returns about five round values in [lo, hi]: 1-2-5 steps, or
// powers of ten on a log axis.
func ticks(lo, hi float64, log bool) []float64 {
	var out []float64
	if log {
		for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
			if v := math.Pow(10, e); v >= lo*0.999 && v <= hi*1.001 {
				out = append(out, v)
			}
		}
		return out
	}
	step := niceStep((hi - lo) / 5)
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9 && len(out) < 20; v += step {
		out = append(out, v)
	}
	return out
}

func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}

// niceCeil rounds v up to the next 1-2-5 tick step multiple.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	step := niceStep(v / 5)
	return math.Ceil(v/step) * step
}

func esc(s string) string { return html.EscapeString(s) }

// fmtNum prints a tick without needless digits.
func fmtNum(v float64) string {
	switch {
	case v == 0:
		return "0"
	case math.Abs(v) >= 1e6:
		return strconv.FormatFloat(v/1e6, 'g', 4, 64) + "M"
	case math.Abs(v) >= 1e4:
		return strconv.FormatFloat(v/1e3, 'g', 4, 64) + "k"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}
