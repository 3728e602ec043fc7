package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/wrklint/wrklint/runner"
	"github.com/wrklint/wrklint/runner/merge"
	"github.com/wrklint/wrklint/runner/output"
	"github.com/wrklint/wrklint/runner/stats"
)

// shardOptions are the flags of a sharded run (docs/distributed.md).
type shardOptions struct {
	spec    string // --shard I/N
	count   uint64 // --shards N, with JOB_COMPLETION_INDEX
	startAt string // --start-at RFC 3339
}

// maxShards bounds --shard's N: far more pods than any run needs.
const maxShards = merge.MaxShards

// jobIndexEnv is set by Kubernetes in each pod of an Indexed Job.
const jobIndexEnv = "JOB_COMPLETION_INDEX"

func shardLongFlags() []string { return []string{"shard", "shards", "start-at"} }

func addShardFlags(f *pflag.FlagSet, s *shardOptions) {
	f.StringVar(&s.spec, "shard", "", "Run shard I of N (0-based, I/N): its share of -c and -R; scripts see wrk.shard and wrk.shards")
	f.Uint64Var(&s.count, "shards", 0, "Number of shards; the index comes from "+jobIndexEnv+" (Kubernetes Indexed Jobs)")
	f.StringVar(&s.startAt, "start-at", "", "Hold the start until this RFC 3339 time (e.g. 2026-11-22T10:00:00Z), so that shards start together")
}

// shardPlan is this process's part of the run.
type shardPlan struct {
	index, count int
	startAt      time.Time // zero: start at once
	// The run as asked, before this shard took its share.
	totalConnections, totalRate, threads int
	clamped                              bool // -t was reduced to the shard's connections
}

// plan resolves the shard flags: --shard wins; --shards takes the index
// from JOB_COMPLETION_INDEX; neither is one shard of one.
func (o *options) plan() (shardPlan, error) {
	s := o.shard
	p := shardPlan{index: 0, count: 1}
	bad := func(format string, args ...any) (shardPlan, error) {
		return shardPlan{}, &usageError{"wrkrun: " + fmt.Sprintf(format, args...)}
	}
	switch {
	case s.spec != "":
		i, n, ok := strings.Cut(s.spec, "/")
		idx, err1 := strconv.Atoi(i)
		cnt, err2 := strconv.Atoi(n)
		if !ok || err1 != nil || err2 != nil || cnt < 1 || cnt > maxShards || idx < 0 || idx >= cnt {
			return bad("--shard %q: want I/N with 0 <= I < N <= %d (e.g. 0/4)", s.spec, maxShards)
		}
		if s.count != 0 && int(s.count) != cnt {
			return bad("--shard %s and --shards %d disagree", s.spec, s.count)
		}
		p.index, p.count = idx, cnt
	case s.count != 0:
		if s.count > maxShards {
			return bad("--shards %d: at most %d", s.count, maxShards)
		}
		v := o.getenv(jobIndexEnv)
		if v == "" {
			return bad("--shards %d needs the shard index: --shard I/%d, or %s (set in Kubernetes Indexed Jobs)", s.count, s.count, jobIndexEnv)
		}
		idx, err := strconv.Atoi(v)
		if err != nil || idx < 0 || idx >= int(s.count) {
			return bad("%s=%q is not a shard index below --shards %d", jobIndexEnv, v, s.count)
		}
		p.index, p.count = idx, int(s.count)
	}
	if s.startAt != "" {
		t, err := time.Parse(time.RFC3339Nano, s.startAt)
		if err != nil {
			return bad("--start-at %q: want an RFC 3339 time such as 2026-11-22T10:00:00Z", s.startAt)
		}
		p.startAt = t
	}
	return p, nil
}

// apply gives cfg (the whole run's) this shard's share of connections and
// rate, remainders to the lowest indexes; threads are per process and
// reduced to the connections when fewer.
func (p *shardPlan) apply(cfg *runner.Config) error {
	p.totalConnections, p.totalRate, p.threads = cfg.Connections, cfg.Rate, cfg.Threads
	if p.count > 1 {
		conns := stats.ShareOf(cfg.Connections, p.count, p.index)
		if conns == 0 {
			return &usageError{fmt.Sprintf("wrkrun: -c %d leaves shard %d of %d without a connection: use at least %d connections", cfg.Connections, p.index, p.count, p.count)}
		}
		rate := stats.ShareOf(cfg.Rate, p.count, p.index)
		if cfg.Rate > 0 && rate == 0 {
			return &usageError{fmt.Sprintf("wrkrun: -R %d leaves shard %d of %d without requests: use at least %d requests/s", cfg.Rate, p.index, p.count, p.count)}
		}
		cfg.Connections, cfg.Rate = conns, rate
		if cfg.Threads > conns {
			cfg.Threads, p.clamped = conns, true
		}
	}
	cfg.StartAt = p.startAt
	return nil
}

// configHash identifies the run as asked, the same for every shard of it:
// results with different hashes do not merge. Headers and arguments are
// only hashed, never written out (they may carry credentials).
func (o *options) configHash(p shardPlan, cfg runner.Config, scriptHash string) string {
	var startAt string
	if !p.startAt.IsZero() {
		startAt = p.startAt.UTC().Format(time.RFC3339Nano)
	}
	headers := make([][2]string, 0, len(cfg.Headers))
	for _, h := range cfg.Headers {
		headers = append(headers, [2]string{h.Name, h.Value})
	}
	b, _ := json.Marshal(struct { // plain data: Marshal cannot fail
		URL                  string
		Threads, Connections int
		Duration, Timeout    time.Duration
		Rate                 int
		Headers              [][2]string
		Verify               bool
		Script               string
		Args                 []string
		Shards               int
		StartAt              string
		// Left out when off, so hashes from before these flags still match.
		TLSNoResume  bool   `json:",omitempty"`
		TLSHybridKEX bool   `json:",omitempty"`
		HTTP2        string `json:",omitempty"`
		Streams      int    `json:",omitempty"`
	}{
		cfg.URL, p.threads, p.totalConnections, cfg.Duration, cfg.Timeout, p.totalRate,
		headers, cfg.Verify, scriptHash, o.scriptArgs, p.count, startAt,
		cfg.TLSNoResume, cfg.TLSHybridKEX, h2Hash(cfg), h2Streams(cfg),
	})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// threadValues orders what done() read per thread for the JSON result.
func threadValues(shard int, byThread map[int]map[string]json.RawMessage) []output.ThreadValues {
	var out []output.ThreadValues
	for t, v := range byThread {
		out = append(out, output.ThreadValues{Shard: shard, Thread: t, Values: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Thread < out[j].Thread })
	return out
}

// announceStart says how long the --start-at barrier will hold, or that
// the time has passed (the skew after the run shows by how much).
func announceStart(w io.Writer, at time.Time) {
	if at.IsZero() {
		return
	}
	if d := time.Until(at); d > 0 {
		fmt.Fprintf(w, "wrkrun: waiting %s for --start-at %s\n", d.Round(time.Millisecond), at.Format(time.RFC3339Nano))
	} else {
		fmt.Fprintf(w, "wrkrun: warning: --start-at %s passed %s ago; starting now\n", at.Format(time.RFC3339Nano), (-d).Round(time.Millisecond))
	}
}

// h2Hash and h2Streams are the HTTP/2 options as hashed: empty when off.
func h2Hash(cfg runner.Config) string {
	if cfg.HTTP2 == runner.HTTP2Off {
		return ""
	}
	return cfg.HTTP2.String()
}

func h2Streams(cfg runner.Config) int {
	if cfg.HTTP2 == runner.HTTP2Off {
		return 0
	}
	return cfg.Streams
}
