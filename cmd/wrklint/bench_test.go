package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/wrklint/wrklint/bench/luagen"
)

// BenchmarkRunCorpus runs the whole command (real rules, JSON report to a
// buffer) over a generated corpus of 2,000 wrk-like scripts, as
// bench/lint-vs-luacheck.sh does with the binary:
//
//	go test -run '^$' -bench RunCorpus -benchmem ./cmd/wrklint
func BenchmarkRunCorpus(b *testing.B) {
	const files = 2000
	dir := filepath.Join(b.TempDir(), "corpus")
	if err := luagen.Generate(dir, luagen.Options{N: files, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	opts := defaultOptions()
	var stdout, stderr bytes.Buffer
	opts.Stdout, opts.Stderr = &stdout, &stderr
	for b.Loop() {
		stdout.Reset()
		if code := execute([]string{"-f", "json", dir}, opts); code != exitOK && code != exitFindings {
			b.Fatalf("exit code %d: %s", code, stderr.String())
		}
	}
	b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
