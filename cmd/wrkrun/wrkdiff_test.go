package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/testutil"
)

// requestLog records the distinct requests a loopback server saw: method,
// target, Host, the other headers sorted (wrk's order is a Lua table
// iteration order) and the body.
type requestLog struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (l *requestLog) handler(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	var hs []string
	for name, vs := range r.Header {
		for _, v := range vs {
			hs = append(hs, name+": "+v)
		}
	}
	sort.Strings(hs)
	host := portSuffix.ReplaceAllString(r.Host, "$1:PORT")
	key := r.Method + " " + r.RequestURI + " Host=" + host + " [" + strings.Join(hs, ", ") + "] body=" + string(body)
	l.mu.Lock()
	l.seen[key] = true
	l.mu.Unlock()
	w.Header().Set("X-Probe", "p1")
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("pong"))
}

func (l *requestLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for k := range l.seen {
		out = append(out, k)
	}
	sort.Strings(out)
	l.seen = map[string]bool{}
	return out
}

// portSuffix is the server's port, which differs from run to run.
var portSuffix = regexp.MustCompile(`^(127\.0\.0\.1):\d+$`)

// reportLine matches the lines of wrk's report, which differ from run to
// run; the script's own lines are what the probes compare.
var reportLine = regexp.MustCompile(`^(Running \d+s test @ |  \d+ threads and \d+ connections|  Thread Stats|    Latency  |    Req/Sec  |  \d+ requests in |  Socket errors: |  Non-2xx or 3xx responses: |Requests/sec: |Transfer/sec: )`)

func scriptLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if !reportLine.MatchString(l) {
			lines = append(lines, l)
		}
	}
	return lines
}

// wrkAccepted are the printed lines allowed to differ, per probe, with
// the reason (docs/wrk-compatibility.md lists them too).
var wrkAccepted = map[string]map[string]string{
	// gopher-lua's compiler folds the constant -0.0 to +0 (a variable
	// holding 0, negated, is -0 as in LuaJIT).
	"hooks": {"1e+15\t9.007199254741e+15\tinf\t-inf\t0.3\t33.333333333333\tinf\t-0": "1e+15\t9.007199254741e+15\tinf\t-inf\t0.3\t33.333333333333\tinf\t0"},
}

// TestWrkDifferential runs wrk-API probe scripts under the real wrk
// (Debian package wrk) and under wrkrun against the same loopback server,
// and compares what the scripts printed and the requests the server saw.
func TestWrkDifferential(t *testing.T) {
	t.Parallel()
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		t.Skip("wrk is not installed (Debian package wrk; .ci/run installs it)")
	}
	probes, err := filepath.Glob(filepath.Join("testdata", "wrkdiff", "*.lua"))
	if err != nil || len(probes) == 0 {
		t.Fatalf("no probes (%v)", err)
	}
	for _, p := range probes {
		name := strings.TrimSuffix(filepath.Base(p), ".lua")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// A server per run: a request still in flight when one run
			// ends must not be counted in the other. wrk and wrkrun run
			// side by side, each against its own server.
			serve := func() (string, *requestLog, func()) {
				log := &requestLog{seen: map[string]bool{}}
				srv := httptest.NewServer(http.HandlerFunc(log.handler))
				t.Cleanup(srv.Close) // a second Close is a no-op
				return srv.URL + "/", log, srv.Close
			}
			args := func(url string) []string { return []string{"-t1", "-c1", "-d1s", "-s", p, url, "a1", "a2"} }
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			wrkURL, wrkLog, wrkStop := serve()
			ourURL, ourLog, ourStop := serve()
			var wout, werr bytes.Buffer
			cmd := exec.CommandContext(ctx, wrk, args(wrkURL)...) //nolint:gosec // wrk from PATH on the repository's own probes, loopback only
			cmd.Stdout, cmd.Stderr = &wout, &werr
			wrkDone := make(chan error, 1)
			go func() { wrkDone <- cmd.Run() }()
			var out, stderr testutil.SyncBuffer
			code := run(append([]string{"--require-lint=false", "--quiet", "--allow-read", "/dev/null"}, args(ourURL)...), testEnv(&out, &stderr))
			ourStop() // waits for the requests still in the handler
			ourSaw := ourLog.take()
			if err := <-wrkDone; err != nil {
				t.Fatalf("wrk: %v\n%s%s", err, wout.String(), werr.String())
			}
			wrkStop()
			wrkSaw := wrkLog.take()
			if code != 0 {
				t.Fatalf("wrkrun exit %d\n%s%s", code, out.String(), stderr.String())
			}

			want, got := scriptLines(wout.String()), scriptLines(out.String())
			for i := 0; i < len(want) || i < len(got); i++ {
				var wl, gl string
				if i < len(want) {
					wl = want[i]
				}
				if i < len(got) {
					gl = got[i]
				}
				if wl != gl && wrkAccepted[name][wl] != gl {
					t.Errorf("printed line %d:\n  wrk:    %q\n  wrkrun: %q", i+1, wl, gl)
				}
			}
			t.Logf("wrk printed %q; the server saw %q", want, wrkSaw)
			if len(wrkSaw) == 0 {
				t.Error("the server saw no request from wrk")
			}
			if strings.Join(wrkSaw, "\n") != strings.Join(ourSaw, "\n") {
				t.Errorf("requests seen:\n  wrk:    %q\n  wrkrun: %q", wrkSaw, ourSaw)
			}
		})
	}
}
