package luart

import (
	"io"
	"syscall"
	"testing"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/internal/redact"
	"github.com/wrklint/wrklint/runner"
)

// The cost of redaction on the scripted hot paths: each benchmark runs
// with redaction off and on (go test -bench Redact ./runner/luart/).

func benchDefended(b *testing.B, src string, secrets *redact.Set) runner.ThreadScript {
	b.Helper()
	b.Setenv("BENCH_TOKEN", "bench-token-0123456789")
	s, err := New("bench.lua", []byte(src), Options{
		URL: "http://127.0.0.1:8080/", Threads: 1, Stdout: io.Discard, Secrets: secrets,
		Headers: []runner.Header{{Name: "Authorization", Value: "Bearer hdr-token-123456"}},
		Policy:  config.Policy{Env: []string{"BENCH_TOKEN"}},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	th, err := s.NewThread(0)
	if err != nil {
		b.Fatal(err)
	}
	return th
}

func benchResponse() *runner.Response {
	r := &runner.Response{Status: 200, Body: []byte("hello world")}
	for _, h := range []string{"Server", "Date", "Content-Type", "Content-Length", "Connection", "ETag", "Set-Cookie", "Last-Modified"} {
		r.Headers = append(r.Headers, runner.HeaderField{Name: []byte(h), Value: []byte("value of " + h)})
	}
	return r
}

func redactModes(b *testing.B, run func(b *testing.B, secrets *redact.Set)) {
	b.Run("off", func(b *testing.B) { run(b, nil) })
	b.Run("on", func(b *testing.B) { run(b, redact.NewSet()) })
}

// BenchmarkRedactResponsePrint prints a line per response: the redactor's
// common case, a line with no secret in it.
func BenchmarkRedactResponsePrint(b *testing.B) {
	redactModes(b, func(b *testing.B, secrets *redact.Set) {
		th := benchDefended(b, `local tok = os.getenv("BENCH_TOKEN")
function response(status, headers, body) print("status", status, #body, headers["Content-Type"]) end`, secrets)
		r := benchResponse()
		b.ReportAllocs()
		defer cpuTimer(b)()
		for b.Loop() {
			if err := th.Response(r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRedactResponsePrintSecret prints a secret on every response:
// every line is rewritten.
func BenchmarkRedactResponsePrintSecret(b *testing.B) {
	redactModes(b, func(b *testing.B, secrets *redact.Set) {
		th := benchDefended(b, `local tok = os.getenv("BENCH_TOKEN")
function response(status) print("status", status, tok) end`, secrets)
		r := benchResponse()
		b.ReportAllocs()
		defer cpuTimer(b)()
		for b.Loop() {
			if err := th.Response(r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRedactRequestFormat is request() with wrk.format and an
// Authorization header, which the redactor registers on every call.
func BenchmarkRedactRequestFormat(b *testing.B) {
	redactModes(b, func(b *testing.B, secrets *redact.Set) {
		th := benchDefended(b, `local h = {Authorization = "Bearer fmt-token-987654"}
function request() return wrk.format(nil, "/item", h) end`, secrets)
		var buf []byte
		b.ReportAllocs()
		defer cpuTimer(b)()
		for b.Loop() {
			var err error
			if buf, err = th.Request(buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRedactResponseCount is the counting response() of
// BenchmarkResponseCount, reading one header: no output at all.
func BenchmarkRedactResponseCount(b *testing.B) {
	redactModes(b, func(b *testing.B, secrets *redact.Set) {
		th := benchDefended(b, `local n = 0
function response(status, headers, body) if headers["Set-Cookie"] then n = n + 1 end end`, secrets)
		r := benchResponse()
		b.ReportAllocs()
		defer cpuTimer(b)()
		for b.Loop() {
			if err := th.Response(r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cpuTimer reports the process's CPU time per operation besides the wall
// time: on a machine shared with other work, wall time per operation
// mostly measures the neighbours.
func cpuTimer(b *testing.B) func() {
	b.Helper()
	start := cpuNow()
	return func() {
		b.ReportMetric(float64(cpuNow()-start)/float64(b.N), "cpu-ns/op")
	}
}

func cpuNow() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
