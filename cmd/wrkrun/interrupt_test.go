package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/testutil"
)

// TestSIGINTJSON interrupts a real wrkrun process (the test binary as main)
// a while into a 60 s run: it exits 0 with the report, says on stderr that
// the run was cut short, and its --json marks the result interrupted with
// the real, shorter duration.
func TestSIGINTJSON(t *testing.T) {
	t.Parallel()
	schema := resultSchema(t)
	url := startHTTP(t)
	path := filepath.Join(t.TempDir(), "out.json")
	var stdout, stderr testutil.SyncBuffer
	cmd := exec.Command(os.Args[0], "-t1", "-c2", "-d60s", "-R", "200", "--json", path, url) //nolint:gosec // our own binary
	cmd.Env = append(os.Environ(), asMainEnv+"=1")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
	})
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
		if err != nil {
			t.Fatalf("wrkrun: %v; want exit 0\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("SIGINT did not stop the run")
	}
	if !strings.Contains(stdout.String(), "Requests/sec:") {
		t.Errorf("no report after SIGINT:\n%s", stdout.String())
	}
	m := regexp.MustCompile(`(?m)^wrkrun: interrupted after ([\d.]+)s; the report covers the partial run$`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("stderr lacks the interruption line: %q", stderr.String())
	}
	readValidResult(t, schema, path)
	res := readResult(t, path)
	said, _ := strconv.ParseFloat(m[1], 64)
	// The run lasted from its start to the signal: at least the 300 ms
	// waited, well under the 60 s asked for, and the stderr line rounds
	// the same duration.
	if !res.Interrupted || res.Config.DurationSeconds != 60 ||
		res.RuntimeSeconds < 0.3 || res.RuntimeSeconds >= 60 || strconv.FormatFloat(res.RuntimeSeconds, 'f', 2, 64) != m[1] || said <= 0 {
		t.Errorf("interrupted %v, duration %v s asked, runtime %v s, stderr says %s s", res.Interrupted, res.Config.DurationSeconds, res.RuntimeSeconds, m[1])
	}
	if res.Requests == 0 || res.ScheduleLag == nil || res.ScheduleLag.Count < res.Requests {
		t.Errorf("%d requests, schedule lag %+v", res.Requests, res.ScheduleLag)
	}
}
