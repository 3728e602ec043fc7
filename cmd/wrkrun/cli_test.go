package main

import (
	"bufio"
	"bytes"
	"errors"
	"math"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/wrklint/wrklint/internal/testutil"
)

func TestParseUnits(t *testing.T) {
	t.Parallel()
	metric := []struct {
		in   string
		want uint64
		err  bool
	}{
		{"10", 10, false}, {"1k", 1000, false}, {"2K", 2000, false}, {"1M", 1e6, false},
		{"1m", 1e6, false}, {"1G", 1e9, false}, {"0", 0, false},
		{"1.5k", 0, true}, {"abc", 0, true}, {"10x", 0, true}, {"", 0, true}, {"1kbb", 0, true},
		// wrk's sscanf("%lu%2s"): white space, a sign, a unit after
		// spaces, anything after the unit ignored; '-' wraps around.
		{" 5", 5, false}, {"+5", 5, false}, {"1 k", 1000, false}, {"1k x", 1000, false}, {"2 ", 2, false},
		{"-1", math.MaxUint64, false}, {"-2", math.MaxUint64 - 1, false}, {"-0", 0, false},
		{"0x10", 0, true}, {"-", 0, true}, {"+", 0, true}, {" ", 0, true}, {"1 kk", 0, true},
		{"99999999999999999999", math.MaxUint64, false}, {"99999999999999999999k", 0, true},
	}
	for _, tt := range metric {
		got, err := parseMetric(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("parseMetric(%q) = %d, %v; want %d, err %v", tt.in, got, err, tt.want, tt.err)
		}
	}
	times := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"10", 10 * time.Second, false}, {"2s", 2 * time.Second, false}, {"1S", time.Second, false},
		{"2m", 2 * time.Minute, false}, {"1M", time.Minute, false}, {"2h", 2 * time.Hour, false},
		{"1.5s", 1500 * time.Millisecond, false}, {"500ms", 500 * time.Millisecond, false}, {"0", 0, false},
		{"10x", 0, true}, {"abc", 0, true}, {"1d", 0, true}, {"", 0, true}, {".", 0, true},
		{" 2", 2 * time.Second, false}, {"1 s", time.Second, false}, {"1s x", time.Second, false}, {"+3", 3 * time.Second, false},
		{"-0", 0, false}, {"1sx", 0, true}, {"1 mm", 0, true},
		{"-1", 0, true}, // wrk sleeps for 2⁶⁴−1 s; refused
	}
	for _, tt := range times {
		got, err := parseTime(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("parseTime(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestCommandLine(t *testing.T) {
	t.Parallel()
	usage := regexp.QuoteMeta("Usage: wrkrun <options> <url>")
	tests := []struct {
		name       string
		args       string
		wantCode   int
		wantStdout string // regexp
		wantStderr string // regexp
		check      func(t *testing.T, o *options)
	}{
		{name: "defaults", args: "http://127.0.0.1:8080/", check: func(t *testing.T, o *options) {
			if o.threads != 2 || o.connections != 10 || o.duration != 10*time.Second || o.timeout != 2*time.Second || o.latency {
				t.Errorf("defaults = %+v", o)
			}
		}},
		{name: "options after the URL", args: "http://h/ -t1 -c1 -d1", check: func(t *testing.T, o *options) {
			if o.threads != 1 || o.connections != 1 || o.duration != time.Second || o.url != "http://h/" {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "long prefixes and =", args: "--thr 3 --conn 30 --dur 1m --lat --timeout=5 http://h/", check: func(t *testing.T, o *options) {
			if o.threads != 3 || o.connections != 30 || o.duration != time.Minute || !o.latency || o.timeout != 5*time.Second {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "-L and -T", args: "-L -T 3 http://h/", check: func(t *testing.T, o *options) {
			if !o.latency || o.timeout != 3*time.Second {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "last value wins", args: "-t5 -t1 -c2 http://h/", check: func(t *testing.T, o *options) {
			if o.threads != 1 {
				t.Errorf("threads = %d", o.threads)
			}
		}},
		{name: "script args", args: "http://h/ a b -- -c d", check: func(t *testing.T, o *options) {
			if strings.Join(o.scriptArgs, ",") != "a,b,-c,d" || o.connections != 10 {
				t.Errorf("script args = %q, connections %d", o.scriptArgs, o.connections)
			}
		}},
		{name: "headers repeat", args: "-H 'A: 1' -H 'B: 2' http://h/", check: func(t *testing.T, o *options) {
			if strings.Join(o.headers, "|") != "A: 1|B: 2" {
				t.Errorf("headers = %q", o.headers)
			}
		}},
		{name: "SI units", args: "-c 2k -t 1K http://h/", check: func(t *testing.T, o *options) {
			if o.connections != 2000 || o.threads != 1000 {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "fractional duration", args: "-d 1.5s --timeout 500ms http://h/", check: func(t *testing.T, o *options) {
			if o.duration != 1500*time.Millisecond || o.timeout != 500*time.Millisecond {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "no URL", args: "-t1", wantCode: 1, wantStdout: usage},
		{name: "help", args: "-h", wantCode: 1, wantStdout: usage},
		{name: "version continues", args: "-v", wantCode: 1, wantStdout: `^wrkrun \S+ \[epoll\].*\n` + usage},
		{name: "unknown long option", args: "--bogus http://h/", wantCode: 1, wantStdout: usage,
			wantStderr: `unrecognized option '--bogus'`},
		{name: "ambiguous prefix", args: "--t 1 http://h/", wantCode: 1, wantStdout: usage, wantStderr: `ambiguous`},
		{name: "-r is not an option", args: "-r http://h/", wantCode: 1, wantStdout: usage},
		{name: "bad unit", args: "-d 10x http://h/", wantCode: 1, wantStdout: usage},
		{name: "zero threads", args: "-t0 http://h/", wantCode: 1, wantStdout: usage},
		{name: "zero duration", args: "-d0 http://h/", wantCode: 1, wantStdout: usage},
		{name: "fewer connections than threads", args: "-t2 -c1 http://h/", wantCode: 1, wantStdout: usage,
			wantStderr: `^number of connections must be >= threads\n$`},
		{name: "zero connections", args: "-c0 -t1 http://h/", wantCode: 1, wantStderr: `connections must be >= threads`},
		{name: "invalid URL", args: "127.0.0.1:8080/", wantCode: 1, wantStdout: usage,
			wantStderr: `^invalid URL: 127\.0\.0\.1:8080/\n$`},
		{name: "script flags", args: "-s x.lua --req=false --fail-on warning --allow-env A --allow-env B_* --allow-read data/x " +
			"--allow-write out/ --allow-target 10.0.0.0/8 --script-timeout 2s --script-memory 1G --config c.yml http://h/ a b",
			check: func(t *testing.T, o *options) {
				so := o.scriptOpts
				if o.script != "x.lua" || so.requireLint || so.failOn != "warning" || strings.Join(so.allowEnv, ",") != "A,B_*" ||
					strings.Join(so.allowRead, ",") != "data/x" || strings.Join(so.allowWrite, ",") != "out/" ||
					strings.Join(so.allowTarget, ",") != "10.0.0.0/8" || so.scriptTimeout != 2*time.Second ||
					so.scriptMemory != "1G" || so.config != "c.yml" || strings.Join(o.scriptArgs, ",") != "a,b" {
					t.Errorf("got %+v", o)
				}
			}},
		{name: "script flag defaults", args: "-s x.lua http://h/", check: func(t *testing.T, o *options) {
			so := o.scriptOpts
			if !so.requireLint || so.failOn != "" || so.scriptTimeout != time.Second || so.scriptMemory != "512M" {
				t.Errorf("got %+v", so)
			}
		}},
		{name: "wrk's own option wins a shared prefix", args: "--d 5 --dry --y http://h/", check: func(t *testing.T, o *options) {
			if o.duration != 5*time.Second || !o.guard.dryRun || !o.guard.yes {
				t.Errorf("duration %v, dry-run %v, yes %v", o.duration, o.guard.dryRun, o.guard.yes)
			}
		}},
		{name: "-U needs -R", args: "-U http://h/", wantCode: 1, wantStderr: `-U needs -R`},
		{name: "-m 0", args: "--http2 -m 0 http://h/", wantCode: 1, wantStderr: `^wrkrun: -m/--streams must be >= 1\n$`},
		{name: "-m needs --http2", args: "-m 4 http://h/", wantCode: 1, wantStderr: `-m/--streams needs --http2`},
		{name: "-m too large", args: "--http2 -m 2000 http://h/", wantCode: 1, wantStderr: `-m/--streams must be <= 1024`},
		{name: "--http2 bad mode", args: "--http2=maybe http://h/", wantCode: 1},
		{name: "-R with units", args: "-R 2k -U http://h/", check: func(t *testing.T, o *options) {
			if o.rate != 2000 || !o.uncorrected {
				t.Errorf("rate %d, -U %v", o.rate, o.uncorrected)
			}
		}},
		{name: "ambiguous --allow", args: "--allow x http://h/", wantCode: 1, wantStderr: `ambiguous`},
		// getopt's messages and order, each compared with wrk 4.1.0.
		{name: "-h stops the parsing", args: "-h --bogus", wantCode: 1, wantStdout: "^" + usage, wantStderr: `^$`},
		{name: "--help", args: "--help", wantCode: 1, wantStdout: "^" + usage, wantStderr: `^$`},
		{name: "-?", args: "-? http://h/", wantCode: 1, wantStdout: "^" + usage, wantStderr: `^$`},
		{name: "-r has no message", args: "-r -v http://h/", wantCode: 1, wantStdout: "^" + usage, wantStderr: `^$`},
		{name: "version before help", args: "-vh", wantCode: 1, wantStdout: `^wrkrun \S+ \[epoll\].*\n` + usage},
		{name: "help before version", args: "-hv", wantCode: 1, wantStdout: "^" + usage},
		{name: "version before a bad value", args: "-v -c x http://h/", wantCode: 1, wantStdout: `^wrkrun \S+ \[epoll\].*\n` + usage, wantStderr: `^$`},
		{name: "bad value before version", args: "-c x -v http://h/", wantCode: 1, wantStdout: "^" + usage},
		{name: "version before an unknown option", args: "-v --bogus", wantCode: 1, wantStdout: `^wrkrun \S+ \[epoll\].*\n` + usage,
			wantStderr: `^wrkrun: unrecognized option '--bogus'\n$`},
		{name: "unknown option before version", args: "--bogus -v", wantCode: 1, wantStdout: "^" + usage,
			wantStderr: `^wrkrun: unrecognized option '--bogus'\n$`},
		{name: "bad value before unknown option", args: "-c x --bogus http://h/", wantCode: 1, wantStdout: "^" + usage, wantStderr: `^$`},
		{name: "ambiguous lists the options", args: "--t 1 http://h/", wantCode: 1,
			wantStderr: `^wrkrun: option '--t' is ambiguous; possibilities: '--threads' '--timeout' '--threshold'\n$`},
		{name: "--he is ambiguous", args: "--he", wantCode: 1,
			wantStderr: `^wrkrun: option '--he' is ambiguous; possibilities: '--header' '--help'\n$`},
		{name: "--ver is --version", args: "--ver", wantCode: 1, wantStdout: `^wrkrun \S+ \[epoll\].*\n` + usage, wantStderr: `^$`},
		{name: "--lat=1", args: "--lat=1 --bogus http://h/", wantCode: 1, wantStdout: "^" + usage,
			wantStderr: `^wrkrun: option '--latency' doesn't allow an argument\n$`},
		{name: "--version=1", args: "--version=1", wantCode: 1, wantStdout: "^" + usage,
			wantStderr: `^wrkrun: option '--version' doesn't allow an argument\n$`},
		{name: "short option without its argument", args: "-c", wantCode: 1, wantStdout: "^" + usage,
			wantStderr: `^wrkrun: option requires an argument -- 'c'\n$`},
		{name: "long option without its argument", args: "--conn", wantCode: 1, wantStdout: "^" + usage,
			wantStderr: `^wrkrun: option '--connections' requires an argument\n$`},
		{name: "invalid short option", args: "-L1 http://h/", wantCode: 1, wantStderr: `^wrkrun: invalid option -- '1'\n$`},
		{name: "URL checked before connections", args: "-c 1 -t 2 bad", wantCode: 1, wantStdout: "^" + usage,
			wantStderr: `^invalid URL: bad\n$`},
		{name: "URL checked before zero connections", args: "-c 0 bad", wantCode: 1, wantStderr: `^invalid URL: bad\n$`},
		{name: "a unit after a space", args: "-c '1 k' -t ' +2' -d '1 s' http://h/", check: func(t *testing.T, o *options) {
			if o.connections != 1000 || o.threads != 2 || o.duration != time.Second {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "negative threads wrap", args: "-c 2 -t -1 http://h/", wantCode: 1, wantStdout: "^" + usage,
			wantStderr: `^number of connections must be >= threads\n$`},
		// wrk's strtoull makes -3 huge; the message must not say "<= 1048576".
		{name: "negative connections", args: "-c -3 http://h/", wantCode: 1, wantStdout: "^" + usage,
			wantStderr: `^number of connections must be >= threads\n$`},
		{name: "too many connections", args: "-c 2M http://h/", wantCode: 1, wantStderr: `^number of connections must be <= 1048576\n$`},
		{name: "negative rate", args: "-R -5 http://h/", wantCode: 1, wantStdout: "^" + usage,
			wantStderr: `^rate must be a positive number of requests/s \(or 0 for no rate limit\)\n$`},
		{name: "rate too high", args: "-R 2G http://h/", wantCode: 1, wantStderr: `^rate must be <= 1073741824 requests/s\n$`},
		{name: "-R 0 is unthrottled", args: "-R 0 http://h/", check: func(t *testing.T, o *options) {
			if o.rate != 0 || o.negative.rate {
				t.Errorf("rate %d, negative %v", o.rate, o.negative.rate)
			}
		}},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		var got *options
		code := execute(splitArgs(tt.args), env{stdout: &stdout, stderr: &stderr}, func(o *options) error {
			got = o
			_, _, err := o.config()
			return err
		})
		if code != tt.wantCode {
			t.Errorf("%s: exit %d, want %d (stderr %q)", tt.name, code, tt.wantCode, stderr.String())
		}
		if tt.wantStdout != "" && !regexp.MustCompile(tt.wantStdout).MatchString(stdout.String()) {
			t.Errorf("%s: stdout %q does not match %q", tt.name, stdout.String(), tt.wantStdout)
		}
		if tt.wantStderr != "" && !regexp.MustCompile(tt.wantStderr).MatchString(stderr.String()) {
			t.Errorf("%s: stderr %q does not match %q", tt.name, stderr.String(), tt.wantStderr)
		}
		if tt.check != nil {
			if got == nil {
				t.Errorf("%s: command did not run", tt.name)
				continue
			}
			tt.check(t, got)
		}
	}
}

// splitArgs splits on spaces, keeping single-quoted groups together.
func splitArgs(s string) []string {
	var out []string
	for _, part := range regexp.MustCompile(`'[^']*'|\S+`).FindAllString(s, -1) {
		out = append(out, strings.Trim(part, "'"))
	}
	return out
}

func TestParseHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		want     string // "name=value" or "" when dropped
		wantWarn bool
	}{
		{"Name: value", "Name=value", false},
		{"Name:  two spaces", "Name= two spaces", false},
		{"Name:value", "Name=value", true},
		{"Authorization: Bearer a:b", "Authorization=Bearer a:b", false},
		{"novalue", "", true},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		hs := parseHeaders([]string{tt.in}, &stderr)
		got := ""
		if len(hs) == 1 {
			got = hs[0].Name + "=" + hs[0].Value
		}
		if got != tt.want || (stderr.Len() > 0) != tt.wantWarn {
			t.Errorf("parseHeaders(%q) = %q, warning %q; want %q, warning %v", tt.in, got, stderr.String(), tt.want, tt.wantWarn)
		}
	}
}

// startHTTP serves a fixed response on 127.0.0.1 for the end-to-end tests.
func startHTTP(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	resp := []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadSlice('\n')
					if err != nil {
						return
					}
					if len(line) == 2 {
						if _, err := c.Write(resp); err != nil {
							return
						}
					}
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/"
}

var reportRE = regexp.MustCompile(`(?s)^Running 1s test @ http://127\.0\.0\.1:\d+/\n` +
	`  1 threads and 2 connections\n` +
	`  Thread Stats   Avg      Stdev     Max   \+/- Stdev\n` +
	`    Latency .*\n    Req/Sec .*\n  Latency Distribution\n     50%.*\n     75%.*\n     90%.*\n     99%.*\n` +
	`  \d+ requests in [\d.]+m?s, [\d.]+[KMG]?B read\nRequests/sec: +[\d.]+\nTransfer/sec: +[\d.]+[KMG]?B\n$`)

func TestEndToEnd(t *testing.T) {
	t.Parallel()
	url := startHTTP(t)
	var stdout, stderr testutil.SyncBuffer
	code := Main([]string{"-t1", "-c2", "-d1", "--latency", url}, &stdout, &stderr)
	if code != 0 || !reportRE.MatchString(stdout.String()) {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", code, stdout.String(), stderr.String())
	}
}

// TestBadHeaderRefused: wrk checks the static request at start-up, so a
// -H value that makes a bad header line ends the run with its message.
func TestBadHeaderRefused(t *testing.T) {
	t.Parallel()
	url := startHTTP(t)
	var stdout, stderr testutil.SyncBuffer
	code := Main([]string{"-t1", "-c1", "-d1", "-H", "Bad Name: x", url}, &stdout, &stderr)
	// Line 3: wrkrun writes Host first (wrk: hash order).
	if want := "invalid character in header at 3:4\n"; code != 1 || stderr.String() != want || stdout.String() != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and %q", code, stdout.String(), stderr.String(), want)
	}
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var stdout, stderr testutil.SyncBuffer
	jsonPath := filepath.Join(t.TempDir(), "result.json")
	code := Main([]string{"-d1", "--json", jsonPath, "http://" + addr + "/"}, &stdout, &stderr)
	want := "unable to connect to 127.0.0.1:" + strings.Split(addr, ":")[1] + " Connection refused\n"
	if code != 1 || stderr.String() != want || stdout.String() != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and %q", code, stdout.String(), stderr.String(), want)
	}
	// No result: no (empty) --json file either.
	if _, err := os.Stat(jsonPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--json file after a failed start: %v; want it absent", err)
	}
}

// TestSIGINT sends the process an interrupt during a 30 s run: the run must
// end early and still print the report, with exit status 0, as wrk does.
func TestSIGINT(t *testing.T) {
	url := startHTTP(t)
	var stdout, stderr testutil.SyncBuffer
	done := make(chan int, 1)
	go func() { done <- Main([]string{"-t1", "-c2", "-d30s", url}, &stdout, &stderr) }()
	// Generous deadlines: a loaded machine is slow to start the run, and
	// anything well short of the 30 s proves the interrupt worked.
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(stdout.String(), "connections\n") {
		if time.Now().After(deadline) {
			t.Fatal("run did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	signalled := time.Now()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d, want 0; stderr %q", code, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("SIGINT did not stop the run")
	}
	if elapsed := time.Since(signalled); elapsed > 10*time.Second {
		t.Errorf("run took %v after SIGINT", elapsed)
	}
	if !regexp.MustCompile(`\d+ requests in [\d.]+m?s`).MatchString(stdout.String()) || !strings.Contains(stdout.String(), "Requests/sec:") {
		t.Errorf("no report after SIGINT:\n%s", stdout.String())
	}
}

// TestUsageListsEveryFlag: --help names every flag wrkrun accepts, with its
// one-letter form (wrk's own help omits -L; ours does not).
func TestUsageListsEveryFlag(t *testing.T) {
	t.Parallel()
	u := usageText()
	newRootCmd(defaultOptions(env{}), nil).Flags().VisitAll(func(f *pflag.Flag) {
		want := "--" + f.Name
		if f.Shorthand != "" {
			want = "-" + f.Shorthand + ", --" + f.Name
		}
		if !regexp.MustCompile(`(?m)^ +` + regexp.QuoteMeta(want) + `\b`).MatchString(u) {
			t.Errorf("usage lacks %q", want)
		}
	})
}
