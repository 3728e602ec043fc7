package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/runner"
)

func TestShardPlan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     string
		jobIndex string
		c, t, r  int
		// want
		index, count, conns, threads, rate int
		err                                string
	}{
		{name: "unsharded", args: "", c: 10, t: 2, index: 0, count: 1, conns: 10, threads: 2},
		{name: "first of four takes the remainder", args: "--shard 0/4", c: 10, t: 2, r: 1001, index: 0, count: 4, conns: 3, threads: 2, rate: 251},
		{name: "last of four", args: "--shard 3/4", c: 10, t: 2, r: 1001, index: 3, count: 4, conns: 2, threads: 2, rate: 250},
		{name: "threads reduced to the connections", args: "--shard 3/4", c: 5, t: 4, index: 3, count: 4, conns: 1, threads: 1},
		{name: "index from the Indexed Job", args: "--shards 3", jobIndex: "2", c: 9, t: 1, index: 2, count: 3, conns: 3, threads: 1},
		{name: "--shard wins over the environment", args: "--shard 1/3 --shards 3", jobIndex: "2", c: 9, t: 1, index: 1, count: 3, conns: 3, threads: 1},
		{name: "--shards without an index", args: "--shards 3", c: 9, t: 1, err: "needs the shard index"},
		{name: "index beyond the shards", args: "--shards 3", jobIndex: "3", c: 9, t: 1, err: `JOB_COMPLETION_INDEX="3" is not a shard index below --shards 3`},
		{name: "malformed", args: "--shard 4/4", c: 9, t: 1, err: `--shard "4/4": want I/N`},
		{name: "not numbers", args: "--shard a/b", c: 9, t: 1, err: `want I/N`},
		{name: "disagreeing counts", args: "--shard 0/4 --shards 3", c: 9, t: 1, err: "disagree"},
		{name: "too few connections", args: "--shard 3/4", c: 3, t: 1, err: "-c 3 leaves shard 3 of 4 without a connection"},
		{name: "too little rate", args: "--shard 3/4", c: 8, t: 1, r: 3, err: "-R 3 leaves shard 3 of 4 without requests"},
		{name: "bad start time", args: "--start-at tomorrow", c: 1, t: 1, err: "want an RFC 3339 time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := defaultOptions(env{lookupEnv: func(k string) string {
				if k == jobIndexEnv {
					return tt.jobIndex
				}
				return ""
			}})
			cmd := newRootCmd(o, func(*options) error { return nil })
			cmd.SetArgs(append(strings.Fields(tt.args), "http://127.0.0.1/"))
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			p, err := o.plan()
			cfg := runner.Config{Connections: tt.c, Threads: tt.t, Rate: tt.r}
			if err == nil {
				err = p.apply(&cfg)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.index != tt.index || p.count != tt.count || cfg.Connections != tt.conns || cfg.Threads != tt.threads || cfg.Rate != tt.rate {
				t.Errorf("shard %d/%d: %d connections, %d threads, rate %d; want %d/%d %d %d %d",
					p.index, p.count, cfg.Connections, cfg.Threads, cfg.Rate, tt.index, tt.count, tt.conns, tt.threads, tt.rate)
			}
			if p.totalConnections != tt.c || p.totalRate != tt.r {
				t.Errorf("totals %d, %d", p.totalConnections, p.totalRate)
			}
		})
	}
}

func TestStartAtParsedAndAnnounced(t *testing.T) {
	t.Parallel()
	o := defaultOptions(env{})
	o.shard.startAt = "2026-11-22T10:00:00.5+01:00"
	p, err := o.plan()
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 22, 9, 0, 0, 5e8, time.UTC); !p.startAt.Equal(want) {
		t.Errorf("start at %s, want %s", p.startAt, want)
	}
	var b bytes.Buffer
	announceStart(&b, time.Now().Add(time.Minute))
	announceStart(&b, time.Now().Add(-time.Minute))
	if !strings.Contains(b.String(), "waiting 1m0s for --start-at") && !strings.Contains(b.String(), "waiting 59.9") {
		t.Errorf("announcement %q", b.String())
	}
	if !strings.Contains(b.String(), "warning: --start-at") || !strings.Contains(b.String(), "ago; starting now") {
		t.Errorf("late announcement %q", b.String())
	}
}

// TestConfigHash: shards of one run agree; anything that changes the run
// changes the hash, the shard index does not.
func TestConfigHash(t *testing.T) {
	t.Parallel()
	base := func() (*options, shardPlan, runner.Config) {
		o := defaultOptions(env{})
		o.scriptArgs = []string{"a"}
		return o, shardPlan{index: 0, count: 4, totalConnections: 10, threads: 2},
			runner.Config{URL: "http://127.0.0.1/", Duration: time.Second, Timeout: 2 * time.Second, Headers: []runner.Header{{Name: "A", Value: "1"}}}
	}
	o, p, cfg := base()
	h := o.configHash(p, cfg, "s")
	p.index = 3
	if o.configHash(p, cfg, "s") != h {
		t.Error("the shard index changed the hash")
	}
	for name, change := range map[string]func(*options, *shardPlan, *runner.Config) string{
		"header":   func(_ *options, _ *shardPlan, c *runner.Config) string { c.Headers[0].Value = "2"; return "s" },
		"argument": func(o *options, _ *shardPlan, _ *runner.Config) string { o.scriptArgs = []string{"b"}; return "s" },
		"script":   func(*options, *shardPlan, *runner.Config) string { return "t" },
		"shards":   func(_ *options, p *shardPlan, _ *runner.Config) string { p.count = 5; return "s" },
		"start":    func(_ *options, p *shardPlan, _ *runner.Config) string { p.startAt = time.Unix(1, 0); return "s" },
		"duration": func(_ *options, _ *shardPlan, c *runner.Config) string { c.Duration = 2 * time.Second; return "s" },
	} {
		o, p, cfg := base()
		sh := change(o, &p, &cfg)
		if o.configHash(p, cfg, sh) == h {
			t.Errorf("changing the %s kept the hash", name)
		}
	}
}

func TestMergeCommandErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no files", []string{"merge"}, exitError, "requires at least 1 arg"},
		{"missing file", []string{"merge", "/nonexistent/shard-0.json"}, exitError, "/nonexistent/shard-0.json: no such file or directory"},
		{"unknown flag", []string{"merge", "--frobnicate", "x.json"}, exitError, "unknown flag: --frobnicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, env{stdout: &stdout, stderr: &stderr})
			if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tt.code, tt.want)
			}
		})
	}
}
