package luart

import (
	"testing"

	"github.com/wrklint/wrklint/runner"
)

func benchThread(b *testing.B, src string) runner.ThreadScript {
	b.Helper()
	s, err := New("bench.lua", []byte(src), Options{URL: "http://127.0.0.1:8080/", Threads: 1})
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

// BenchmarkRequestFormat is the dynamic request: request()
// returning wrk.format(nil, path).
func BenchmarkRequestFormat(b *testing.B) {
	th := benchThread(b, `local n = 0
function request() n = n + 1 return wrk.format(nil, "/item") end`)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = th.Request(buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResponseCount is a counting response() with an 8-header response.
func BenchmarkResponseCount(b *testing.B) {
	th := benchThread(b, `local n = 0
function response(status, headers, body) n = n + 1 end`)
	r := &runner.Response{Status: 200, Body: []byte("hello world")}
	for _, h := range []string{"Server", "Date", "Content-Type", "Content-Length", "Connection", "ETag", "Accept-Ranges", "Last-Modified"} {
		r.Headers = append(r.Headers, runner.HeaderField{Name: []byte(h), Value: []byte("value of " + h)})
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := th.Response(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEmptyHook is the fixed cost of one guarded call into Lua.
func BenchmarkEmptyHook(b *testing.B) {
	th := benchThread(b, `function delay() return 0 end`)
	for b.Loop() {
		if _, err := th.Delay(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResponseStatusOnly is response(status): no headers table.
func BenchmarkResponseStatusOnly(b *testing.B) {
	th := benchThread(b, `local n = 0
function response(status) if status == 200 then n = n + 1 end end`)
	r := &runner.Response{Status: 200, Body: []byte("hello world"), Headers: []runner.HeaderField{{Name: []byte("A"), Value: []byte("b")}}}
	b.ReportAllocs()
	for b.Loop() {
		if err := th.Response(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRequestConcat builds the path with "..": two operands go
// through lualib's number formatting for concatenation.
func BenchmarkRequestConcat(b *testing.B) {
	th := benchThread(b, `local n = 0
function request() n = n + 1 return wrk.format(nil, "/item/" .. n .. "?page=" .. n % 10) end`)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = th.Request(buf); err != nil {
			b.Fatal(err)
		}
	}
}
