package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/testutil"
	"github.com/wrklint/wrklint/runner"
)

// TestProgressLineFormat draws and clears the line from fabricated
// progress: no benchmark runs.
func TestProgressLineFormat(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	p := &progressLine{w: &b, total: 90 * time.Second}
	p.update(runner.Progress{Elapsed: 1100 * time.Millisecond, Rate: 12345.6, P99US: 2500, Requests: 123456, Errors: 2})
	first := "\r  1s / 1m30s   12.35k req/s   p99 2.50ms   123456 requests   2 errors"
	if b.String() != first {
		t.Fatalf("first line %q, want %q", b.String(), first)
	}
	b.Reset()
	// A shorter line is padded with blanks over the end of the longer one.
	p.update(runner.Progress{Elapsed: 2 * time.Second, Rate: 5, P99US: 900, Requests: 9})
	second := "\r  2s / 1m30s   5.00 req/s   p99 0.90ms   9 requests   0 errors"
	if want := second + strings.Repeat(" ", len(first)-1-(len(second)-1)); b.String() != want {
		t.Errorf("second line %q, want %q", b.String(), want)
	}
	b.Reset()
	p.clear()
	if want := "\r" + strings.Repeat(" ", len(second)-1) + "\r"; b.String() != want {
		t.Errorf("clear wrote %q, want %q", b.String(), want)
	}
	b.Reset()
	p.clear()
	if b.Len() != 0 {
		t.Errorf("a second clear wrote %q", b.String())
	}
}

// TestProgressOnlyOnATerminal: the line is drawn on a terminal's stderr
// unless --quiet.
func TestProgressOnlyOnATerminal(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	for _, tt := range []struct {
		name            string
		terminal, quiet bool
		want            bool
	}{
		{"terminal", true, false, true},
		{"--quiet", true, true, false},
		{"not a terminal", false, false, false},
	} {
		e := testEnv(&stdout, &stderr)
		e.terminal = func(w any) bool { return tt.terminal && w == any(&stderr) }
		o := defaultOptions(e)
		o.guard.quiet = tt.quiet
		if got := o.progress(time.Second) != nil; got != tt.want {
			t.Errorf("%s: line %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestProgressLine is the line in a real run on a (fake) terminal: drawn
// once a second, cleared before the report.
func TestProgressLine(t *testing.T) {
	t.Parallel()
	url := startHTTP(t)
	var stdout, stderr testutil.SyncBuffer
	e := testEnv(&stdout, &stderr)
	e.terminal = func(w any) bool { return w == any(&stderr) }
	// 1.5 s: the line is due at 1 s; when the run's goroutine wakes only
	// after the run's end is also due (a loaded machine), either may
	// come first, so the margin is half a second, not 200 ms.
	if code := run([]string{"-t1", "-c2", "-d1500ms", url}, e); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	errOut := stderr.String()
	if !regexp.MustCompile(`^\r  1s / 1\.5s   [\d.]+k? req/s   p99 [\d.]+(us|ms)   \d+ requests   0 errors`).MatchString(errOut) {
		t.Errorf("progress line %q", errOut)
	}
	// Cleared before the report: blanks over the line, cursor back.
	if !regexp.MustCompile(`\r +\r$`).MatchString(errOut) || strings.Count(errOut, "\r") != 3 {
		t.Errorf("line not cleared: %q", errOut)
	}
	if !strings.Contains(stdout.String(), "requests in") {
		t.Errorf("no report: %q", stdout.String())
	}
}
