package merge

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/runner/output"
	"github.com/wrklint/wrklint/runner/stats"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// shard builds shard i of n of a run of 10 connections, as a shard's
// wrkrun writes it; latencies are base+0..99 µs.
func shard(t *testing.T, i, n int, base int64) Shard {
	t.Helper()
	lat := stats.NewLatency(2_000_000)
	for k := range int64(100) {
		lat.Record(base + k)
	}
	raw := lat.Clone()
	var rates stats.Rates
	rates.Record(uint64(100 + i))
	rates.Record(uint64(110 + i))
	s := &stats.Summary{
		URL: "http://127.0.0.1:8080/", Duration: time.Second, Threads: 1, Connections: stats.ShareOf(10, n, i),
		Requests: 100, Bytes: 1000, Runtime: time.Second, StatusCodes: map[int]uint64{200: 90, 500: 10},
		Errors: stats.Errors{Status: 10, Read: uint64(i)}, LatencyHist: lat, Latency: lat.Dist(), RawLatencyHist: raw,
		Rates: &rates, ReqPerSec: rates.Dist(), Start: t0.Add(time.Duration(i) * time.Millisecond),
	}
	idx := i
	r := output.NewResult(s, output.RunInfo{
		Tool: "wrkrun test", Timeout: 2, Shard: &idx, Shards: n, TotalConnections: 10,
		ConfigSHA256: strings.Repeat("a", 64), ScriptSHA256: strings.Repeat("b", 64),
		ThreadValues: []output.ThreadValues{{Shard: i, Thread: 0, Values: map[string]json.RawMessage{"n": json.RawMessage("1")}}},
	})
	// Through JSON, as merge reads it.
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return Shard{Path: "shard-" + string(rune('0'+i)) + ".json", Result: back}
}

func run4(t *testing.T) []Shard {
	return []Shard{shard(t, 2, 4, 300), shard(t, 0, 4, 100), shard(t, 3, 4, 400), shard(t, 1, 4, 200)}
}

func TestMerge(t *testing.T) {
	m, err := Merge(run4(t))
	if err != nil {
		t.Fatal(err)
	}
	s := m.Summary
	if s.Requests != 400 || s.Bytes != 4000 || s.Errors.Status != 40 || s.Errors.Read != 6 ||
		s.StatusCodes[200] != 360 || s.StatusCodes[500] != 40 || s.Connections != 10 || s.Threads != 4 {
		t.Errorf("sums: %+v", s)
	}
	// Runtime is the window from the first start to the last end.
	if s.Runtime != time.Second+3*time.Millisecond || !s.Start.Equal(t0) || *m.Info.StartSpread != 3*time.Millisecond {
		t.Errorf("runtime %s start %s spread %s", s.Runtime, s.Start, *m.Info.StartSpread)
	}
	if s.Latency.Count != 400 || s.Latency.Min() != 100 || s.Latency.Max != 499 || s.Latency.Percentile(50) != 300 {
		t.Errorf("latency: count %d min %d max %d p50 %d", s.Latency.Count, s.Latency.Min(), s.Latency.Max, s.Latency.Percentile(50))
	}
	if s.ReqPerSec.Count != 8 || s.ReqPerSec.Max != 113 {
		t.Errorf("Req/Sec %+v", s.ReqPerSec)
	}
	// Threads in shard order, with their values.
	if len(m.Threads) != 4 || string(m.Threads[3]["n"]) != "1" || len(m.Info.ThreadValues) != 4 || m.Info.ThreadValues[0].Shard != 0 {
		t.Errorf("threads %v values %v", m.Threads, m.Info.ThreadValues)
	}
	res := output.NewResult(s, m.Info)
	if res.Run.Shard != nil || res.Run.Shards != 4 || res.Run.StartSpreadSeconds == nil {
		t.Errorf("merged run section %+v", res.Run)
	}
}

func TestCheckRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func([]Shard) []Shard
		want   string
	}{
		{"missing shard", func(s []Shard) []Shard { return s[:3] }, "missing shard 1 (3 of 4 given)"},
		{"duplicate shard", func(s []Shard) []Shard { s[3] = s[1]; return s }, "shard 0 twice"},
		{"other URL", func(s []Shard) []Shard { s[1].Result.Config.URL = "http://127.0.0.2/"; return s }, "URLs"},
		{"other script", func(s []Shard) []Shard { s[2].Result.Run.ScriptSHA256 = strings.Repeat("c", 64); return s }, "script SHA-256s bbbbbbbbbbbb and cccccccccccc"},
		{"other configuration", func(s []Shard) []Shard { s[2].Result.Run.ConfigSHA256 = strings.Repeat("c", 64); return s }, "configurations differ"},
		{"other shard count", func(s []Shard) []Shard { s[1].Result.Run.Shards = 5; return s }, "shard counts 4 and 5"},
		{"index out of range", func(s []Shard) []Shard { *s[1].Result.Run.Shard = 4; return s }, "outside 0..3"},
		{"wrong share", func(s []Shard) []Shard { s[0].Result.Config.Connections = 3; return s }, "its share of 10 is 2"},
		{"already merged", func(s []Shard) []Shard { s[0].Result.Run.Shard = nil; return s }, "already a merged result"},
		{"nothing", func([]Shard) []Shard { return nil }, "no results"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Merge(tt.change(run4(t)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	good, err := json.Marshal(shard(t, 0, 1, 1).Result)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, doc, want string }{
		{"not JSON", "{\n  \"version\": 1,\n  oops\n}", "line 3, column 3"},
		{"no version", `{"tool": "x"}`, `no "version"`},
		{"other version", `{"version": 2}`, "version 2"},
		{"no run section", `{"version": 1, "requests": 5}`, `no "run" section`},
		{"mistyped field", strings.Replace(string(good), `"requests":100`, `"requests":"100"`, 1), "requests"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestReadNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{bad, filepath.Join(dir, "absent.json")} {
		if _, err := Read([]string{p}); err == nil || !strings.HasPrefix(err.Error(), p+": ") {
			t.Errorf("Read(%s): %v", p, err)
		}
	}
}

// FuzzMerge: result files are untrusted; parsing and merging them must
// fail cleanly, never panic.
func FuzzMerge(f *testing.F) {
	b, _ := json.Marshal(output.NewResult(&stats.Summary{URL: "http://x/", Duration: time.Second, Threads: 1, Connections: 1,
		LatencyHist: stats.NewLatency(10), RawLatencyHist: stats.NewLatency(10), Rates: &stats.Rates{}},
		output.RunInfo{Shard: new(int), Shards: 1, TotalConnections: 1, ConfigSHA256: strings.Repeat("a", 64)}))
	f.Add(b)
	f.Add([]byte(`{"version":1,"run":{"config_sha256":"x","shards":1,"shard":0,"total_connections":1},"config":{"connections":1,"threads":1}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		r, err := Parse(doc)
		if err != nil {
			return
		}
		_, _ = Merge([]Shard{{Path: "f.json", Result: r}})
	})
}
