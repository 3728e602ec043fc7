package htmlreport

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

func TestChart(t *testing.T) {
	many := make([][2]float64, 10_000)
	for i := range many {
		many[i] = [2]float64{float64(i), float64(i % 7)}
	}
	tests := []struct {
		name       string
		c          chart
		maxCoords  int
		wantTicks  []string
		wantNoData bool
	}{
		{"downsampled", chart{id: "a", x: secondsAxis, y: msAxis, series: []series{{name: "s", points: many}}}, maxPoints, []string{">0<", ">2000<", ">8000<"}, false},
		{"log axis skips non-positive x", chart{id: "b", x: axis{log: true, format: fmtNum}, y: msAxis,
			series: []series{{name: "s", points: [][2]float64{{0, 1}, {1, 2}, {1000, 3}}}}}, 3, []string{">1<", ">10<", ">100<", ">1000<"}, false},
		{"spectrum ticks", chart{id: "c", x: axis{log: true, format: spectrumLabel}, y: msAxis,
			series: []series{{name: "s", points: [][2]float64{{1, 1}, {1000, 3}}}}}, 2, []string{">0%<", ">90%<", ">99%<", ">99.9%<"}, false},
		{"NaN and Inf only", chart{id: "d", x: secondsAxis, y: msAxis, series: []series{{name: "s", points: [][2]float64{{math.NaN(), 1}, {1, math.Inf(1)}}}}}, 0, nil, true},
		{"empty", chart{id: "e", x: secondsAxis, y: msAxis}, 0, nil, true},
	}
	coords := regexp.MustCompile(`[0-9.]+,[0-9.]+`)
	for _, tc := range tests {
		svg := tc.c.render()
		if !strings.HasPrefix(svg, "<svg") || !strings.HasSuffix(svg, "</svg>") {
			t.Errorf("%s: not one svg element", tc.name)
		}
		if got := strings.Contains(svg, "no data"); got != tc.wantNoData {
			t.Errorf("%s: no data = %v", tc.name, got)
		}
		if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") {
			t.Errorf("%s: a NaN or Inf reached the SVG", tc.name)
		}
		if m := regexp.MustCompile(`points="([^"]*)"`).FindStringSubmatch(svg); m != nil {
			if n := len(coords.FindAllString(m[1], -1)); n > tc.maxCoords {
				t.Errorf("%s: %d points drawn, at most %d", tc.name, n, tc.maxCoords)
			}
		}
		for _, tick := range tc.wantTicks {
			if !strings.Contains(svg, tick) {
				t.Errorf("%s: no tick %s", tc.name, tick)
			}
		}
	}
}
