package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/wrklint/wrklint/runner/luart"
	"github.com/wrklint/wrklint/runner/merge"
	"github.com/wrklint/wrklint/runner/output"
)

// newMergeCmd is `wrkrun merge [flags] RESULT...`: the results of the
// shards of one run (--json of each) become the result of the whole run.
// It has its own options (and cobra's flag parsing, not wrk's getopt).
func newMergeCmd(e env) *cobra.Command {
	o := defaultOptions(e)
	cmd := &cobra.Command{
		Use:   "merge [-s script.lua] [--latency] [--json FILE|-] RESULT.json...",
		Short: "Merge the --json results of the shards of one run",
		Long: `Merge the --json results of the shards of one run (wrkrun --shard I/N or
--shards N in a Kubernetes Indexed Job) into the result of the whole run.

The results must be every shard of one run: the same configuration and
script, each index 0..N-1 once. Counters are summed; the latency
histograms (corrected and raw) are merged exactly; the Req/Sec samples
are pooled; Requests/sec divides by the window from the earliest start to
the latest end. The report is wrk's; --json writes the merged result.

With -s, the script the shards ran (its SHA-256 is checked) is linted and
loaded in the sandbox: its top level runs, setup(thread) once for every
thread of every shard, then done(summary, latency, requests) once with
the merged numbers; thread:get returns what each shard's done() read.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &subcommandError{cmd, errors.New("requires at least 1 arg(s), only received 0")}
			}
			return nil
		},
		RunE: func(_ *cobra.Command, files []string) error {
			return mergeResults(o, files)
		},
	}
	cmd.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return &subcommandError{cmd, err} })
	f := cmd.Flags()
	f.SortFlags = false
	f.StringVarP(&o.script, "script", "s", "", "The script the shards ran: its done() runs once on the merged result")
	f.BoolVarP(&o.latency, "latency", "L", false, "Print latency statistics")
	f.BoolVarP(&o.uncorrected, "u_latency", "U", false, "With -R: also print the uncorrected latency distribution")
	f.StringVar(&o.jsonPath, "json", "", "Also write the merged result as JSON to FILE (- for stdout; the report then goes to stderr)")
	addScriptFlags(f, &o.scriptOpts)
	addResultFlags(f, &o.results, false)
	f.BoolVar(&o.defense.noRedact, "no-redact", false, "Do not mask secrets in what done() prints")
	return cmd
}

func mergeResults(o *options, files []string) error {
	fail := func(err error) error { return &codeError{exitError, fmt.Errorf("wrkrun merge: %w", err)} }
	// The configuration's thresholds apply to the merged run too.
	project, err := o.loadProject()
	if err != nil {
		return err
	}
	thresholds, err := o.results.parseThresholds("wrkrun merge", project.Thresholds)
	if err != nil {
		return err
	}
	shards, err := merge.Read(files)
	if err != nil {
		return fail(err)
	}
	m, err := merge.Merge(shards)
	if err != nil {
		return fail(err)
	}
	// With --json -, the report and done()'s output go to stderr.
	sink, err := openJSON(o.jsonPath, o.stdout)
	if err != nil {
		return err
	}
	defer sink.close()
	out := o.stdout
	if sink.onStdout() {
		out = o.stderr
	}
	closeHTML, err := o.results.openHTML("wrkrun merge")
	if err != nil {
		return err
	}
	defer closeHTML()
	script, err := mergeScript(o, out, m)
	if err != nil {
		return err
	}
	if script != nil {
		defer script.Close()
	}
	sum := m.Summary
	fmt.Fprintf(o.stderr, "wrkrun merge: %d shards, starts spread over %s\n", m.Info.Shards, m.Info.StartSpread.Round(time.Microsecond))
	if err := output.WriteHeader(out, sum.URL, sum.Duration, sum.Threads, sum.Connections); err != nil {
		return fail(fmt.Errorf("writing report: %w", err))
	}
	if err := output.WriteReportWith(out, sum, output.ReportOptions{Latency: o.latency, Uncorrected: o.uncorrected}); err != nil {
		return fail(fmt.Errorf("writing report: %w", err))
	}
	if script != nil {
		if err := script.Done(luart.FromSummary(sum)); err != nil {
			return fail(err)
		}
	}
	info := m.Info
	info.Tool = "wrkrun " + version()
	res := output.NewResult(sum, info)
	// One verdict for the whole sharded run.
	verdict := finishResult(out, "wrkrun merge", res, thresholds, o.results.html)
	var ce *codeError
	if verdict != nil && (!errors.As(verdict, &ce) || ce.code != exitThreshold) {
		return verdict
	}
	if sink.w != nil {
		if err := sink.write(res); err != nil {
			return fail(err)
		}
	}
	return verdict
}

// mergeScript checks -s against the shards' script, passes it through the
// lint gate and loads it for the merged done(); nil without -s.
func mergeScript(o *options, out io.Writer, m *merge.Merged) (*luart.Script, error) {
	want := m.Info.ScriptSHA256
	if o.script == "" {
		if want != "" {
			fmt.Fprintf(o.stderr, "wrkrun merge: note: the shards ran a script (%s); pass it with -s to run its done() on the merged result\n", m.Shards[0].Result.Config.Script)
		}
		return nil, nil
	}
	if want == "" {
		return nil, &codeError{exitError, fmt.Errorf("wrkrun merge: -s %s: the shards ran without a script", o.script)}
	}
	project, err := o.loadProject()
	if err != nil {
		return nil, err
	}
	src, _, err := readScript(o, project)
	if err != nil {
		return nil, err
	}
	if got := sha256Hex(src); got != want {
		return nil, &codeError{exitError, fmt.Errorf("wrkrun merge: -s %s is not the script the shards ran (SHA-256 %s, the shards' %s)", o.script, got[:12], want[:12])}
	}
	targets, err := o.targets(project)
	if err != nil {
		return nil, err
	}
	memory, err := parseSize(o.scriptOpts.scriptMemory)
	if err != nil {
		return nil, &usageError{"wrkrun merge: --script-memory: " + err.Error()}
	}
	// Each thread is a Lua state in the replay, as in the shards.
	const maxReplayThreads = 4096
	if len(m.Threads) > maxReplayThreads {
		return nil, &codeError{exitError, fmt.Errorf("wrkrun merge: -s: %d threads in all is more than done() can be replayed with (%d); merge without -s", len(m.Threads), maxReplayThreads)}
	}
	threads := make([]luart.ReplayThread, len(m.Threads))
	for i, v := range m.Threads {
		threads[i].Values = v
	}
	s, err := luart.NewReplay(o.script, src, luart.Options{
		URL: m.Summary.URL, Shards: m.Info.Shards,
		Policy:  project.Policy.Merge(o.extraPolicy()),
		Targets: targets, HookTimeout: o.scriptOpts.scriptTimeout, MemoryBudget: memory,
		Stdout: out, Stderr: o.stderr, Warnings: o.stderr, Secrets: o.defense.secretSet(), SecretNames: secretNames(project),
		OnStuck: func(err error) {
			fmt.Fprintf(o.stderr, "wrkrun merge: %v\n", err)
			os.Exit(exitError)
		},
	}, threads)
	if err != nil {
		return nil, &codeError{exitError, fmt.Errorf("wrkrun merge: %w", err)}
	}
	return s, nil
}
