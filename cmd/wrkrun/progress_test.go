package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/internal/testutil"
)

func TestProgressLine(t *testing.T) {
	url := startHTTP(t)
	tests := []struct {
		name     string
		terminal bool
		args     []string
		want     bool
	}{
		{"terminal", true, nil, true},
		{"--quiet", true, []string{"--quiet"}, false},
		{"not a terminal", false, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr testutil.SyncBuffer
			e := testEnv(&stdout, &stderr)
			e.terminal = func(w any) bool { return tt.terminal && w == any(&stderr) }
			code := run(append(append([]string{}, tt.args...), "-t1", "-c2", "-d1500ms", url), e)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, stderr.String())
			}
			errOut := stderr.String()
			if !tt.want {
				if errOut != "" {
					t.Errorf("stderr %q, want nothing", errOut)
				}
				return
			}
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
		})
	}
}
