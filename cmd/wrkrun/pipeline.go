package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/runner"
	"github.com/wrklint/wrklint/runner/breaker"
	"github.com/wrklint/wrklint/runner/httpparse"
	"github.com/wrklint/wrklint/runner/luart"
	"github.com/wrklint/wrklint/runner/output"
	"github.com/wrklint/wrklint/runner/policy"
	"github.com/wrklint/wrklint/runner/threshold"
)

// benchmark is one wrkrun run as it goes through the pipeline
// plan → gate → guard → run → report. Each step is a method that reads
// what the earlier ones left here and adds its own part, so that a test
// can run one step on a benchmark it filled in itself.
type benchmark struct {
	o *options

	// plan
	cfg     runner.Config
	target  runner.Target
	shard   shardPlan
	project *config.ProjectConfig
	// thresholds are --threshold's and the configuration's, judged on the
	// result.
	thresholds []threshold.Threshold
	// breaker stops the load when the target is visibly failing; aborted
	// says why it did.
	breaker *breaker.Breaker
	aborted string

	// gate
	src  []byte // the script, nil without -s
	lint lintVerdict

	// guard
	targets *policy.Targets
	guard   *guard

	// run
	script    *luart.Script // nil without -s; closed by runBenchmark
	sum       *runner.Summary
	headerErr error // writing the report's header when the run started

	// out is where the text report and the script's output go: stdout,
	// or stderr when --json - takes stdout for the JSON.
	out  io.Writer
	json *jsonSink
}

// runBenchmark is the root command's work once the command line parsed.
// SIGINT ends the run early and still prints the report.
func runBenchmark(o *options) error {
	b, err := planStep(o)
	if err != nil {
		return err
	}
	if err := b.gateStep(); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := b.guardStep(ctx); err != nil {
		return err
	}
	if o.guard.dryRun {
		return o.dryRun(b.cfg, b.target, b.guard, b.lint, b.shard)
	}
	if err := b.admitStep(); err != nil {
		return err
	}
	if b.json, err = openJSON(o.jsonPath, o.stdout); err != nil {
		return err
	}
	defer b.json.close()
	// Opened before the run: once confined, wrkrun cannot create files.
	closeHTML, err := o.results.openHTML("wrkrun")
	if err != nil {
		return err
	}
	defer closeHTML()
	closeAudit, err := o.openDefenses()
	if err != nil {
		return err
	}
	defer closeAudit()
	b.out = o.stdout
	if b.json.onStdout() {
		b.out = o.stderr
	}
	defer func() {
		if b.script != nil {
			b.script.Close()
		}
	}()
	if err := b.runStep(ctx); err != nil {
		return err
	}
	err = b.reportStep()
	var ce *codeError
	if b.aborted != "" && (err == nil || errors.As(err, &ce) && ce.code == exitThreshold) {
		// A breaker that stopped the load is a failed run, like a failed
		// threshold (exit 99); the report and the JSON are written.
		return &codeError{exitThreshold, fmt.Errorf("wrkrun: load stopped after %.2fs: %s; the report covers the partial run",
			b.sum.Runtime.Seconds(), b.aborted)}
	}
	return err
}

// allLoopback reports whether every address is a loopback one: the
// default breaker guards only targets outside the machine.
func allLoopback(ips []net.IP) bool {
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return false
		}
	}
	return true
}

// planStep validates the command line into the run's configuration (wrk's
// checks in wrk's order), applies the shard plan and loads .wrklint.yml.
func planStep(o *options) (*benchmark, error) {
	cfg, target, err := o.config()
	if err != nil {
		return nil, err
	}
	plan, err := o.plan()
	if err != nil {
		return nil, err
	}
	if err := plan.apply(&cfg); err != nil {
		return nil, err
	}
	project, err := o.loadProject()
	if err != nil {
		return nil, err
	}
	thresholds, err := o.results.parseThresholds("wrkrun", project.Thresholds)
	if err != nil {
		return nil, err
	}
	if cfg.Interval, err = o.results.seriesInterval(cfg.Duration); err != nil {
		return nil, err
	}
	// Checked here for its syntax; guardStep decides on the default breaker.
	if _, err := breaker.Parse(o.results.abortOn, false); err != nil {
		return nil, &usageError{"wrkrun: " + err.Error()}
	}
	return &benchmark{o: o, cfg: cfg, target: target, shard: plan, project: project, thresholds: thresholds,
		lint: lintVerdict{state: "none", text: "no script"}, out: o.stdout}, nil
}

// gateStep reads the script and passes it through the lint gate, before
// anything is resolved or connected. A dry run keeps a refusal for its
// plan instead of stopping here.
func (b *benchmark) gateStep() error {
	if b.o.script == "" {
		return nil
	}
	src, lint, err := readScript(b.o, b.project)
	b.src, b.lint = src, lint
	if err != nil && (!b.o.guard.dryRun || lint.err == nil) {
		return err
	}
	return nil
}

// guardStep builds the target policy, resolves the URL's host once and
// decides every address, and weighs the whole run (not one shard's part)
// against the limits.
func (b *benchmark) guardStep(ctx context.Context) error {
	targets, err := b.o.targets(b.project)
	if err != nil {
		return err
	}
	g, err := b.o.checkTarget(ctx, targets, b.target)
	if err != nil {
		return err
	}
	g.limits = config.DefaultLimits().Override(b.project.Limits)
	g.exceeded = g.limits.Exceeded(config.Limits{Connections: b.shard.totalConnections, Threads: b.cfg.Threads,
		Duration: b.cfg.Duration, Rate: b.shard.totalRate})
	b.targets, b.guard = targets, g
	// A target outside loopback that stops answering under load is being
	// hurt: the default breaker (transport failures only) watches it.
	if b.breaker, err = breaker.Parse(b.o.results.abortOn, !allLoopback(g.ips())); err != nil {
		return &usageError{"wrkrun: " + err.Error()}
	}
	return nil
}

// admitStep turns the guard's findings into a decision: refused by the
// target policy (exit 4), or above the limits without confirmation.
func (b *benchmark) admitStep() error {
	if err := policy.Refusal(b.guard.verdicts); err != nil {
		return &codeError{exitPolicy, fmt.Errorf("wrkrun: %w", err)}
	}
	return b.o.confirm(b.target, b.guard.exceeded)
}

// runStep connects to an address the guard allowed, loads the script (or
// checks the static request as wrk does), runs the benchmark and leaves
// its summary.
func (b *benchmark) runStep(ctx context.Context) error {
	o, cfg := b.o, b.cfg
	stopProfile, err := startProfile()
	if err != nil {
		return &codeError{exitError, fmt.Errorf("wrkrun: %w", err)}
	}
	defer stopProfile()
	resolveTimeout := max(cfg.Timeout, 2*time.Second)
	addr, err := runner.Connect(ctx, b.target, b.guard.addrs, resolveTimeout)
	if err != nil {
		return &codeError{exitError, err}
	}
	if o.script != "" {
		approved := b.targets.WithApproved(b.guard.ips(), addr.Port)
		if b.script, err = loadScript(o, b.out, b.src, b.project, cfg, b.shard, addr, approved); err != nil {
			return err
		}
		cfg.Script = b.script
	} else if _, err := httpparse.CheckRequest(runner.BuildRequest(b.target, cfg.Headers)); err != nil {
		// wrk checks the static request as well: a -H value that makes a
		// bad header line ("Bad Name: x") ends it here.
		return &codeError{exitError, err}
	}
	if err := o.confineSelf(b.project.Policy.Merge(o.extraPolicy()), cfg); err != nil {
		return err
	}
	// One P per worker plus one for everything else (TLS handshakes among
	// it) lets the workers block in epoll without the scheduler's
	// involvement (see runner's poller).
	if runtime.GOMAXPROCS(0) <= cfg.Threads {
		runtime.GOMAXPROCS(cfg.Threads + 1)
	}
	if b.script != nil && os.Getenv("GOGC") == "" {
		// Script hooks allocate a little per request over a live heap of a
		// few MiB: at the default GOGC that is a collection every ~30 ms
		// (each one waking the spare P and slowing the worker with write
		// barriers). A goal of 5x the live heap collects 4x less often;
		// the script's memory limit (twice --script-memory, set by luart)
		// still bounds the peak.
		defer debug.SetGCPercent(debug.SetGCPercent(scriptGCPercent))
	}
	line := o.progress(cfg.Duration)
	if line != nil {
		cfg.Progress = line.update
	}
	if b.breaker.Active() {
		// Progress runs in this goroutine (runner.Run's wait loop), so
		// b.aborted needs no lock.
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		cfg.Progress = func(p runner.Progress) {
			if line != nil {
				line.update(p)
			}
			if reason := b.breaker.Observe(p); reason != "" && b.aborted == "" {
				b.aborted = reason
				cancel()
			}
		}
	}
	if b.shard.clamped {
		fmt.Fprintf(o.stderr, "wrkrun: shard %d of %d: %d threads for its %d connections\n", b.shard.index, b.shard.count, cfg.Threads, cfg.Connections)
	}
	announceStart(o.stderr, b.shard.startAt)
	sum, err := runner.Run(ctx, cfg, addr, func() {
		b.headerErr = output.WriteHeader(b.out, cfg.URL, cfg.Duration, cfg.Threads, cfg.Connections)
	})
	if line != nil {
		line.clear()
	}
	if b.script != nil {
		b.script.FlushOutput() // what the redactor held back comes before the report
	}
	if err != nil {
		return &codeError{exitError, fmt.Errorf("wrkrun: %w", err)}
	}
	b.sum = sum
	return nil
}

// scriptGCPercent is GOGC for runs with a script; see runStep.
const scriptGCPercent = 400

// reportStep prints wrk's report, runs the script's done() and writes the
// JSON result.
func (b *benchmark) reportStep() error {
	o, cfg, sum := b.o, b.cfg, b.sum
	if b.headerErr != nil {
		return &codeError{exitError, fmt.Errorf("wrkrun: writing report: %w", b.headerErr)}
	}
	if err := output.WriteReportWith(b.out, sum, output.ReportOptions{Latency: o.latency, Uncorrected: o.uncorrected}); err != nil {
		return &codeError{exitError, fmt.Errorf("wrkrun: writing report: %w", err)}
	}
	if sum.Interrupted && b.aborted == "" {
		fmt.Fprintf(o.stderr, "wrkrun: interrupted after %.2fs; the report covers the partial run\n", sum.Runtime.Seconds())
	}
	if b.script != nil {
		if err := b.script.Done(luart.FromSummary(sum)); err != nil {
			return &codeError{exitError, fmt.Errorf("wrkrun: %w", err)}
		}
	}
	if !b.shard.startAt.IsZero() {
		fmt.Fprintf(o.stderr, "wrkrun: started %s after --start-at %s\n", sum.Start.Sub(b.shard.startAt), b.shard.startAt.Format(time.RFC3339Nano))
	}
	if (b.json == nil || b.json.w == nil) && !o.results.needResult(b.thresholds) {
		return nil
	}
	var scriptHash string
	var values []output.ThreadValues
	if b.script != nil {
		scriptHash = sha256Hex(b.src)
		values = threadValues(b.shard.index, b.script.ThreadValues())
	}
	index := b.shard.index
	var h2mode string
	var streams int
	if cfg.HTTP2 != runner.HTTP2Off {
		h2mode, streams = cfg.HTTP2.String(), cfg.Streams
	}
	res := output.NewResult(sum, output.RunInfo{
		HTTP2: h2mode, Streams: streams,
		Tool: "wrkrun " + version(), Timeout: cfg.Timeout.Seconds(), Rate: cfg.Rate, Script: o.script,
		LintVerdict: b.lint.state, LintDetail: b.lint.text,
		Shard: &index, Shards: b.shard.count, TotalConnections: b.shard.totalConnections, TotalRate: b.shard.totalRate,
		ConfigSHA256: o.configHash(b.shard, cfg, scriptHash), ScriptSHA256: scriptHash, ThreadValues: values,
	})
	// Thresholds are judged on what was measured, interrupted or not; the
	// JSON is written whatever the verdict.
	verdict := finishResult(b.out, "wrkrun", res, b.thresholds, o.results.html)
	var ce *codeError
	if verdict != nil && (!errors.As(verdict, &ce) || ce.code != exitThreshold) {
		return verdict
	}
	if b.json != nil && b.json.w != nil {
		if err := b.json.write(res); err != nil {
			return &codeError{exitError, fmt.Errorf("wrkrun: %w", err)}
		}
	}
	return verdict
}

// jsonSink is --json's destination: nothing, stdout ("-"), or a file
// opened before the run so that a path that cannot be written fails in a
// second, not after the benchmark. With "-", the caller sends the text
// report elsewhere (onStdout); the sink itself never moves a stream.
type jsonSink struct {
	path string
	w    io.Writer // nil: no --json
	f    *os.File  // the file, when there is one
}

// openJSON opens --json's destination; stdout is the process's stdout.
func openJSON(path string, stdout io.Writer) (*jsonSink, error) {
	switch path {
	case "":
		return &jsonSink{}, nil
	case "-":
		return &jsonSink{path: path, w: stdout}, nil
	}
	f, err := createPrivate(path) // mode 0600: thread values may hold secrets
	if err != nil {
		return nil, &codeError{exitError, fmt.Errorf("wrkrun: --json: %w", err)}
	}
	return &jsonSink{path: path, w: f, f: f}, nil
}

// onStdout reports whether the JSON takes stdout (--json -).
func (s *jsonSink) onStdout() bool { return s.path == "-" }

// write writes the result and closes a file, so that a failed close (a
// full disk) is reported.
func (s *jsonSink) write(res *output.Result) error {
	if err := output.WriteJSON(s.w, res); err != nil {
		return fmt.Errorf("--json %s: %w", s.path, err)
	}
	if s.f != nil {
		f := s.f
		s.f = nil
		if err := f.Close(); err != nil {
			return fmt.Errorf("--json: %w", err)
		}
	}
	return nil
}

// close releases a file that write did not get to close, and removes it:
// a run that failed before its result (connection refused, a script error
// at start) leaves no empty file that a pipeline would read as a result.
// (Where the run's confinement forbids the removal the file stays empty.)
func (s *jsonSink) close() {
	if s != nil && s.f != nil {
		_ = s.f.Close()
		_ = os.Remove(s.path)
	}
}
