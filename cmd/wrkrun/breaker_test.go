package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/testutil"
)

// TestAbortOn: --abort-on stops the load within about a second of the
// condition holding, prints why and exits 99, the report still printed;
// without it the same run goes its whole duration and exits 0.
func TestAbortOn(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("real-time runs")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)
	tests := []struct {
		name     string
		args     []string
		code     int
		maxWall  time.Duration
		minWall  time.Duration
		inStderr string
	}{
		{"error rate trips", []string{"--abort-on", "error_rate>50%", "-d", "20s"}, exitThreshold, 15 * time.Second, 0, "load stopped after"},
		// 1.5 s: past the breaker's first one-second check.
		{"a condition that never holds", []string{"--abort-on", "error_rate>100%", "-d", "1500ms"}, exitOK, 0, 1500 * time.Millisecond, ""},
		{"none: no breaker", []string{"--abort-on", "none", "-d", "1500ms"}, exitOK, 0, 1500 * time.Millisecond, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr testutil.SyncBuffer
			args := append([]string{"-t1", "-c2"}, append(tt.args, srv.URL+"/")...)
			begin := time.Now()
			code := run(args, testEnv(&stdout, &stderr))
			wall := time.Since(begin)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), "Requests/sec:") {
				t.Errorf("no report: %q", stdout.String())
			}
			if tt.inStderr != "" && !strings.Contains(stderr.String(), tt.inStderr) {
				t.Errorf("stderr %q, want %q", stderr.String(), tt.inStderr)
			}
			// The breaker checks once a second; a 20 s run stopped well
			// before its end proves it acted (bound loose for loaded machines).
			if tt.maxWall > 0 && wall > tt.maxWall {
				t.Errorf("run took %v: the breaker did not stop it", wall)
			}
			if wall < tt.minWall {
				t.Errorf("run took %v, want the whole %v", wall, tt.minWall)
			}
		})
	}
}

func TestAbortOnUsage(t *testing.T) {
	t.Parallel()
	var stdout, stderr testutil.SyncBuffer
	code := run([]string{"--abort-on", "p50>1s", "-d", "1s", "http://127.0.0.1:1/"}, testEnv(&stdout, &stderr))
	if code != exitError || !strings.Contains(stderr.String(), "not measured during the run") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}
