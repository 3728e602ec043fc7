package htmlreport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/runner/output"
	"github.com/wrklint/wrklint/runner/stats"
)

// fixture is a result as a 5-second run with -R and a few errors writes it.
func fixture(t *testing.T, slow int64) *output.Result {
	t.Helper()
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	lat, unc := stats.NewLatency(10_000_000), stats.NewLatency(10_000_000)
	var ivs []stats.Interval
	for i := range 5 {
		iv := stats.Interval{Index: i, Requests: uint64(900 + 50*i), Bytes: 100_000, Statuses: map[int]uint64{200: 900}}
		if i == 3 {
			iv.Errors.Timeout, iv.Errors.Status = 4, 7
		}
		var buckets []stats.Bucket
		for k := int64(1); k <= 40; k++ {
			us := slow * (k*k + int64(i)*30)
			lat.Record(us)
			unc.Record(us / 2)
			buckets = append(buckets, stats.Bucket{Value: uint64(us), Count: uint64(41 - k)})
		}
		iv.Latency, iv.LatencyMax, iv.LagMaxUS = buckets, int64(buckets[len(buckets)-1].Value), 120
		ivs = append(ivs, iv)
	}
	tl := stats.MergeThreads(start, time.Second, 10_000_000, [][]stats.Interval{ivs})
	tl.Lag = true
	s := &stats.Summary{
		URL: "http://127.0.0.1:8080/", Duration: 5 * time.Second, Threads: 2, Connections: 10,
		Requests: 4600, Bytes: 500_000, Runtime: 5 * time.Second, Start: start,
		Latency: lat.Dist(), LatencyHist: lat, RawLatencyHist: lat, Rate: 1000,
		Uncorrected: unc.Dist(), UncorrectedHist: unc, Rates: &stats.Rates{}, Timeline: tl,
	}
	s.Errors.Timeout, s.Errors.Status = 4, 7
	r := output.NewResult(s, output.RunInfo{Tool: "wrkrun test", Rate: 1000, LintVerdict: "passed", LintDetail: "no findings", Script: "x.lua"})
	r.Thresholds = []output.ResultThreshold{
		{Expression: "p99 < 1s", Metric: "p99", Value: 1600, Unit: "us", Passed: true},
		{Expression: "rps > 10000", Metric: "rps", Value: 920, Unit: "req/s", Passed: false},
	}
	return r
}

var chartIDs = []string{"latency-over-time", "throughput-over-time", "errors-over-time", "percentile-spectrum", "latency-histogram"}

// netRef finds anything a browser could fetch: a URL with a scheme a
// network load would use, or an attribute or CSS function that loads.
var netRef = regexp.MustCompile(`(?i)(https?:|//[a-z0-9.-]+\.[a-z]{2,}|\bsrc\s*=|\bhref\s*=|url\(|@import|<script|<link|<iframe|<img)`)

func render(t *testing.T, results []*output.Result, labels []string) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, results, labels); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		results []*output.Result
		labels  []string
		want    []string
	}{
		{"one run", []*output.Result{fixture(t, 10)}, []string{"run"}, []string{
			"p99 &lt; 1s", `class="fail">✗`, "rps &gt; 10000", "x.lua", "passed: no findings", ">corrected<", ">uncorrected<", ">p90<", ">timeout<", ">status<",
		}},
		{"overlaid", []*output.Result{fixture(t, 10), fixture(t, 30)}, []string{"base", "new"}, []string{
			">base p50<", ">new p99<", ">base uncorrected<",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := render(t, tc.results, tc.labels)
			if m := netRef.FindString(page); m != "" {
				t.Errorf("the report references something a browser would load: %q", m)
			}
			for _, id := range chartIDs {
				i := strings.Index(page, `<svg id="`+id+`"`)
				if i < 0 {
					t.Errorf("chart %s missing", id)
					continue
				}
				svg := page[i : i+strings.Index(page[i:], "</svg>")]
				if !strings.Contains(svg, `class="series`) || strings.Contains(svg, "no data") {
					t.Errorf("chart %s has nothing drawn:\n%.400s", id, svg)
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("report lacks %q", w)
				}
			}
		})
	}
	if err := Write(&bytes.Buffer{}, nil, nil); err == nil {
		t.Error("an empty report was written")
	}
	// A result without series (an older wrkrun's) still renders, saying
	// which charts have no data.
	old := fixture(t, 10)
	old.Series = nil
	if page := render(t, []*output.Result{old}, []string{"old"}); !strings.Contains(page, "no data") {
		t.Error("charts without data are not marked")
	}
	// Text from the result is escaped.
	hostile := fixture(t, 10)
	hostile.Config.Script = `<script>alert(1)</script>`
	if page := render(t, []*output.Result{hostile}, []string{`<b>`}); strings.Contains(page, "<script>") || strings.Contains(page, "<b>") {
		t.Error("result text is not escaped")
	}
}

// TestChromium renders the report in headless Chromium: the DOM must hold
// every chart with drawn series, and the screenshot must show them.
func TestChromium(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, []byte(render(t, []*output.Result{fixture(t, 10), fixture(t, 25)}, []string{"base", "new"})), 0o600); err != nil {
		t.Fatal(err)
	}
	// chrome runs one headless chromium on the page; the two runs below
	// are independent, so they run side by side.
	chrome := func(extra ...string) ([]byte, error) {
		args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
			"--disable-component-update", "--no-first-run", "--user-data-dir=" + t.TempDir()}, extra...)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a loaded machine, not a tight bound
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append(args, "file://"+page)...) //nolint:gosec // chromium from PATH on our own page
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			if ctx.Err() != nil {
				return nil, errors.New("chromium did not finish in 2 minutes")
			}
			return nil, fmt.Errorf("chromium: %w\n%s", err, stderr.String())
		}
		return stdout.Bytes(), nil
	}
	shot := filepath.Join(dir, "report.png")
	shotDone := make(chan error, 1)
	go func() {
		_, err := chrome("--window-size=900,2600", "--screenshot="+shot)
		shotDone <- err
	}()
	out, err := chrome("--dump-dom")
	if err != nil {
		// Wait for the other run, whose file is in the test's directory.
		if shotErr := <-shotDone; shotErr != nil {
			t.Log(shotErr)
		}
		t.Fatal(err)
	}
	dom := string(out)
	for _, id := range chartIDs {
		re := regexp.MustCompile(`<svg id="` + id + `"[^>]*>(?s:.*?)</svg>`)
		svg := re.FindString(dom)
		if svg == "" {
			t.Errorf("the browser's DOM has no chart %s", id)
			continue
		}
		drawn := regexp.MustCompile(`<(polyline|rect) class="series[^"]*"[^>]*(points="[0-9.]+,[0-9.]+ [0-9.]+|height="[1-9])`)
		if !drawn.MatchString(svg) {
			t.Errorf("chart %s drew nothing in the browser", id)
		}
	}
	if err := <-shotDone; err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// The series colours are saturated; the page is otherwise grey on white.
	coloured := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			hi, lo := max(r, g, bl), min(r, g, bl)
			if hi-lo > 0x4000 {
				coloured++
			}
		}
	}
	if coloured < 2000 {
		t.Errorf("the screenshot shows %d coloured pixels (sampled); the charts did not draw", coloured)
	}
	if os.Getenv("WRKRUN_KEEP_SCREENSHOT") != "" {
		data, _ := os.ReadFile(shot)
		_ = os.WriteFile(os.Getenv("WRKRUN_KEEP_SCREENSHOT"), data, 0o600)
	}
}
