package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/testutil"
	"github.com/wrklint/wrklint/runner/output"
)

// slowServer answers every request after delay, on 127.0.0.1.
func slowServer(t *testing.T, delay time.Duration) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(delay)
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

func TestThresholdsEndToEnd(t *testing.T) {
	t.Parallel()
	schema := resultSchema(t)
	url := startHTTP(t)
	tests := []struct {
		name       string
		thresholds []string
		code       int
		stdout     []string // regexps
		stderr     string   // regexp
	}{
		{"passing", []string{"p99 < 10s", "error_rate < 50%", "rps > 1"}, exitOK,
			[]string{`(?m)^Thresholds:$`, `(?m)^  ✓ p99 < 10s +p99 = [\d.]+(us|ms)$`, `(?m)^  ✓ rps > 1 +rps = [\d.]+ req/s$`}, `^$`},
		// No loopback run does a million requests a second.
		{"failing", []string{"p50 < 10s", "rps > 1000000"}, exitThreshold,
			[]string{`(?m)^  ✓ p50 < 10s`, `(?m)^  ✗ rps > 1000000 +rps = `}, `(?m)^wrkrun: 1 of 2 thresholds failed$`},
		{"bad expression", []string{"p99 < 10s", "p99 << 1ms"}, exitError, nil,
			`column 6: expected a number after <\n  p99 << 1ms\n       \^`},
		{"bad metric", []string{"latency < 1ms"}, exitError, nil, `column 1: unknown metric "latency"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			jsonPath, htmlPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.html")
			args := []string{"-t1", "-c2", "-d1", "--interval", "250ms", "--json", jsonPath, "--html", htmlPath}
			for _, th := range tc.thresholds {
				args = append(args, "--threshold", th)
			}
			var stdout, stderr testutil.SyncBuffer
			code := run(append(args, url), testEnv(&stdout, &stderr))
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, re := range tc.stdout {
				if !regexp.MustCompile(re).MatchString(stdout.String()) {
					t.Errorf("stdout does not match %s:\n%s", re, stdout.String())
				}
			}
			if !regexp.MustCompile(tc.stderr).MatchString(stderr.String()) {
				t.Errorf("stderr does not match %s:\n%s", tc.stderr, stderr.String())
			}
			if tc.code == exitError {
				if _, err := os.Stat(jsonPath); err == nil {
					t.Error("a usage error still ran the benchmark")
				}
				return
			}
			readValidResult(t, schema, jsonPath)
			res := readResult(t, jsonPath)
			if len(res.Thresholds) != len(tc.thresholds) || res.Thresholds[0].Expression != tc.thresholds[0] {
				t.Errorf("JSON thresholds %+v", res.Thresholds)
			}
			checkSeries(t, res)
			page, err := os.ReadFile(htmlPath)
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(page), "<svg "); n != 5 {
				t.Errorf("the HTML report has %d charts, want 5", n)
			}
		})
	}
}

// checkSeries checks that the time series adds up to the run's totals.
func checkSeries(t *testing.T, res *output.Result) {
	t.Helper()
	if res.Series == nil || len(res.Series.Intervals) < 2 {
		t.Fatalf("series %+v: want several intervals", res.Series)
	}
	var reqs, count uint64
	for _, iv := range res.Series.Intervals {
		reqs += iv.Requests
		count += iv.Latency.Count
		if iv.Latency.Count > 0 && (iv.Latency.P50US > iv.Latency.P99US || iv.Latency.P99US > iv.Latency.MaxUS || iv.Latency.Histogram == "") {
			t.Errorf("interval at %gs: latency %+v", iv.StartSeconds, iv.Latency)
		}
	}
	if reqs != res.Requests {
		t.Errorf("intervals hold %d requests, the run %d", reqs, res.Requests)
	}
	// Batches are one request each here; the corrected count adds
	// synthetic samples, the intervals hold the measured ones.
	if count == 0 || count > res.Requests {
		t.Errorf("intervals hold %d latency samples for %d requests", count, res.Requests)
	}
	if res.Paths == nil || len(res.Paths.Top) != 1 || res.Paths.Top[0].Path != "/" {
		t.Errorf("paths %+v", res.Paths)
	}
}

// TestCompareEndToEnd compares a run with itself (exit 0) and with a run
// against a server slowed on purpose (exit 99); then renders both with
// wrkrun report.
func TestCompareEndToEnd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base, slow := filepath.Join(dir, "base.json"), filepath.Join(dir, "slow.json")
	// The two runs are independent (a server each): side by side. The
	// slowed server waits 200 ms, far above what a starved base run
	// shows (tens of ms on a machine loaded twentyfold).
	runs := []struct {
		path, url string
	}{{base, startHTTP(t)}, {slow, slowServer(t, 200*time.Millisecond)}}
	var wg sync.WaitGroup
	codes := make([]int, len(runs))
	stderrs := make([]testutil.SyncBuffer, len(runs))
	for i, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var stdout testutil.SyncBuffer
			codes[i] = run([]string{"-t1", "-c2", "-d2", "--interval", "250ms", "--json", r.path, r.url}, testEnv(&stdout, &stderrs[i]))
		}()
	}
	wg.Wait()
	for i, code := range codes {
		if code != 0 {
			t.Fatalf("run %s: exit %d: %s", runs[i].path, code, stderrs[i].String())
		}
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
	}{
		{"identical", []string{"compare", base, base}, exitOK, `(?m)^  rps .*\+0\.0%  unchanged`},
		// p=0 on a quiet machine; beside other parallel runs the base is
		// noisier, and the p-value only has to stay small.
		{"slowed", []string{"compare", base, slow}, exitThreshold, `(?m)^  p50 .* regression \(bootstrap p=0(\.0[0-4]\d*)?\)$`},
		{"slowed, tolerance too wide to matter", []string{"compare", "--tolerance", "1000000000%", base, slow}, exitOK, `no regression`},
		{"bad tolerance", []string{"compare", "--tolerance", "five", base, slow}, exitError, `^$`},
		{"one file", []string{"compare", base}, exitError, `^$`},
		{"report", []string{"report", base, slow, "--html", filepath.Join(dir, "r.html"), "--threshold", "p50 < 10ms"}, exitThreshold, `(?m)^  ✗ p50 < 10ms`},
		{"report, nothing to do", []string{"report", base}, exitError, `^$`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr testutil.SyncBuffer
			code := run(tc.args, testEnv(&stdout, &stderr))
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout.String(), stderr.String())
			}
			if !regexp.MustCompile(tc.stdout).MatchString(stdout.String()) {
				t.Errorf("stdout does not match %s:\n%s", tc.stdout, stdout.String())
			}
		})
	}
	page, err := os.ReadFile(filepath.Join(dir, "r.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), ">base p50<") || !strings.Contains(string(page), ">slow p99<") {
		t.Error("wrkrun report did not overlay the two runs")
	}
	// --json is for machines.
	var stdout, stderr testutil.SyncBuffer
	if code := run([]string{"compare", "--json", base, slow}, testEnv(&stdout, &stderr)); code != exitThreshold {
		t.Fatalf("compare --json: exit %d", code)
	}
	var rep struct {
		Regressed bool `json:"regressed"`
		Metrics   []struct {
			Metric string   `json:"metric"`
			Status string   `json:"status"`
			PValue *float64 `json:"p_value"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(stdout.String()), &rep); err != nil {
		t.Fatalf("compare --json: %v\n%s", err, stdout.String())
	}
	if !rep.Regressed || len(rep.Metrics) != 5 || rep.Metrics[0].Metric != "rps" || rep.Metrics[0].PValue == nil {
		t.Errorf("compare --json: %+v", rep)
	}
}

// TestMergeThresholds runs two shards and judges the merged result once.
func TestMergeThresholds(t *testing.T) {
	t.Parallel()
	url := startHTTP(t)
	dir := t.TempDir()
	var files []string
	for i := range 2 {
		p := filepath.Join(dir, "shard"+string(rune('0'+i))+".json")
		var stdout, stderr testutil.SyncBuffer
		if code := run([]string{"-t1", "-c2", "-d1", "--interval", "200ms", "--shard", string(rune('0'+i)) + "/2", "--json", p, url}, testEnv(&stdout, &stderr)); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, stderr.String())
		}
		files = append(files, p)
	}
	merged := filepath.Join(dir, "merged.json")
	var stdout, stderr testutil.SyncBuffer
	args := append([]string{"merge", "--json", merged, "--threshold", "errors < 1000000", "--threshold", "rps > 1000000000"}, files...)
	if code := run(args, testEnv(&stdout, &stderr)); code != exitThreshold {
		t.Fatalf("merge: exit %d, want 99\n%s%s", code, stdout.String(), stderr.String())
	}
	if strings.Count(stdout.String(), "Thresholds:") != 1 || !strings.Contains(stdout.String(), "✗ rps > 1000000000") {
		t.Errorf("merge printed:\n%s", stdout.String())
	}
	res := readResult(t, merged)
	a, b := readResult(t, files[0]), readResult(t, files[1])
	if len(res.Thresholds) != 2 || res.Thresholds[1].Passed {
		t.Errorf("merged thresholds %+v", res.Thresholds)
	}
	// The shards ran one after the other: the merged series spans both,
	// and holds every request.
	var reqs uint64
	for _, iv := range res.Series.Intervals {
		reqs += iv.Requests
	}
	if reqs != a.Requests+b.Requests || len(res.Series.Intervals) < len(a.Series.Intervals)+len(b.Series.Intervals)-1 {
		t.Errorf("merged series: %d requests in %d intervals; shards %d+%d requests in %d+%d intervals",
			reqs, len(res.Series.Intervals), a.Requests, b.Requests, len(a.Series.Intervals), len(b.Series.Intervals))
	}
}

// TestSIGINTThresholds interrupts a run with a failing threshold: the
// partial result is still judged, and the exit status is 99.
func TestSIGINTThresholds(t *testing.T) {
	t.Parallel()
	url := startHTTP(t)
	var stdout, stderr testutil.SyncBuffer
	cmd := exec.Command(os.Args[0], "-t1", "-c2", "-d60s", "--threshold", "rps > 1000000000", url) //nolint:gosec // our own binary
	cmd.Env = append(os.Environ(), asMainEnv+"=1")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(stdout.String(), "connections\n") {
		if time.Now().After(deadline) {
			t.Fatalf("run did not start: %s%s", stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("SIGINT did not stop the run")
	}
	if code := cmd.ProcessState.ExitCode(); code != exitThreshold {
		t.Errorf("exit %d, want 99\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "✗ rps > 1000000000") || !strings.Contains(stderr.String(), "interrupted after") {
		t.Errorf("stdout %s\nstderr %s", stdout.String(), stderr.String())
	}
}
