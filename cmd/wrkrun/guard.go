package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/internal/confine"
	"github.com/wrklint/wrklint/internal/term"
	"github.com/wrklint/wrklint/runner"
	"github.com/wrklint/wrklint/runner/policy"
)

// env is everything wrkrun takes from its process: streams, the name
// resolver and the terminal test. Tests inject fakes (a resolver that
// answers public addresses without any network, a pseudo-terminal).
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	resolver       policy.Resolver
	terminal       func(any) bool
	lookupEnv      func(string) string // nil: an empty environment
	// demoDuration is how long `wrkrun demo` benchmarks; "" is
	// demoDuration's constant (tests shorten it).
	demoDuration string
	// confine confines the process (confine.Apply); nil leaves it free:
	// tests, and wrkrun demo, run several commands in one process.
	confine func(confine.Policy) (confine.Status, error)
	euid    func() int // nil: not root
}

func processEnv(stdout, stderr io.Writer) env {
	return env{stdin: os.Stdin, stdout: stdout, stderr: stderr, resolver: net.DefaultResolver, terminal: term.IsTerminal, lookupEnv: os.Getenv}
}

// confined is e for the wrkrun process itself: it confines itself once the
// script is loaded, and warns when it runs as root.
func (e env) confined() env {
	e.confine, e.euid = confine.Apply, os.Geteuid
	return e
}

// getenv reads the process environment (JOB_COMPLETION_INDEX).
func (e env) getenv(name string) string {
	if e.lookupEnv == nil {
		return ""
	}
	return e.lookupEnv(name)
}

// guardOptions are the flags of the production guard (docs/architecture.md); the
// --allow-target values live in scriptOptions, which the sandbox shares.
type guardOptions struct {
	yes    bool
	dryRun bool
	quiet  bool // no live progress line
}

func guardLongFlags() []string { return []string{"yes", "dry-run", "quiet"} }

func addGuardFlags(f *pflag.FlagSet, g *guardOptions) {
	f.BoolVar(&g.yes, "yes", false, "Run above the load limits without asking")
	f.BoolVar(&g.dryRun, "dry-run", false, "Print the plan (addresses, verdicts, load) and exit without sending anything")
	f.BoolVar(&g.quiet, "quiet", false, "No live progress line on stderr")
}

// targets builds the one target policy the URL, thread.addr and
// wrk.connect obey, from targets.allow/deny and --allow-target.
func (o *options) targets(project *config.ProjectConfig) (*policy.Targets, error) {
	t, err := policy.NewTargets(
		[]policy.Source{{Name: "targets.allow", Entries: project.Targets.Allow}, {Name: "--allow-target", Entries: o.scriptOpts.allowTarget}},
		[]policy.Source{{Name: "targets.deny", Entries: project.Targets.Deny}})
	if err != nil {
		return nil, &codeError{exitError, fmt.Errorf("wrkrun: target policy: %w", err)}
	}
	return t, nil
}

// guard is what the gates found out about a run before anything is sent.
type guard struct {
	verdicts []policy.Verdict // one per resolved address of the URL's host
	addrs    []*net.TCPAddr   // the allowed ones, in resolution order
	limits   config.Limits
	exceeded []string // limits the run goes over
}

func (g *guard) ips() []net.IP {
	out := make([]net.IP, 0, len(g.addrs))
	for _, a := range g.addrs {
		out = append(out, a.IP)
	}
	return out
}

// checkTarget resolves the URL's host once and decides every address; only
// the addresses decided here are ever connected to, so a name cannot
// resolve to something else between the check and the connection.
func (o *options) checkTarget(ctx context.Context, targets *policy.Targets, t runner.Target) (*guard, error) {
	port, err := runner.LookupPort(ctx, t)
	if err != nil {
		return nil, &codeError{exitError, err}
	}
	vs, err := targets.CheckHost(ctx, o.resolver, t.Host, port)
	if err != nil {
		return nil, &codeError{exitError, &runner.ResolveError{Host: t.Host, Service: t.Service, Err: errors.Unwrap(err)}}
	}
	g := &guard{verdicts: vs}
	for _, v := range vs {
		if v.Allowed {
			g.addrs = append(g.addrs, &net.TCPAddr{IP: v.IP, Port: port, Zone: v.Zone})
		}
	}
	return g, nil
}

// confirm lets a run above the limits go ahead: with --yes, or when the
// operator types the target's host name back on a terminal. Without a
// terminal the run is refused (exit 4): nobody is there to confirm it.
func (o *options) confirm(t runner.Target, exceeded []string) error {
	if len(exceeded) == 0 {
		return nil
	}
	what := strings.Join(exceeded, ", ")
	if o.guard.yes {
		fmt.Fprintf(o.stderr, "wrkrun: above the limits (%s); going ahead: --yes\n", what)
		return nil
	}
	refuse := func(why string) error {
		return &codeError{exitPolicy, fmt.Errorf("wrkrun: run refused: above the limits (%s); %s", what, why)}
	}
	if !o.terminal(o.stdin) || !o.terminal(o.stderr) {
		return refuse("no terminal to confirm on: pass --yes, or raise limits in .wrklint.yml")
	}
	fmt.Fprintf(o.stderr, "wrkrun: this run is above the limits: %s.\nType the target host name (%s) to go ahead: ", what, t.Host)
	line, err := bufio.NewReader(o.stdin).ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || line == "") {
		return refuse("no confirmation read")
	}
	if !strings.EqualFold(strings.TrimSpace(line), t.Host) {
		return refuse(fmt.Sprintf("%q is not %q", strings.TrimSpace(line), t.Host))
	}
	return nil
}

// dryRun prints the plan and returns the exit code the real run's gates
// would give (lint 3, target policy 4); it never connects, never runs the
// script and never asks for confirmation.
func (o *options) dryRun(cfg runner.Config, t runner.Target, g *guard, lint lintVerdict, p shardPlan) error {
	w := o.stdout
	fmt.Fprintf(w, "Plan for %s (dry run: nothing is sent)\n", cfg.URL)
	fmt.Fprintf(w, "  Target:      %s, service %s\n", t.Host, t.Service)
	for _, v := range g.verdicts {
		fmt.Fprintf(w, "  Address:     %s\n", v)
	}
	refusal := policy.Refusal(g.verdicts)
	if refusal == nil {
		fmt.Fprintf(w, "  Policy:      allowed\n")
	} else {
		fmt.Fprintf(w, "  Policy:      refused\n")
	}
	if o.script != "" {
		fmt.Fprintf(w, "  Lint:        %s: %s\n", o.script, lint.text)
	} else {
		fmt.Fprintf(w, "  Lint:        %s\n", lint.text)
	}
	rate := "unlimited (as fast as possible)"
	if cfg.Rate > 0 {
		rate = fmt.Sprintf("%d requests/s (constant, -R)", cfg.Rate)
	}
	fmt.Fprintf(w, "  Threads:     %d\n  Connections: %d\n  Duration:    %s\n  Rate:        %s\n",
		cfg.Threads, cfg.Connections, cfg.Duration, rate)
	if cfg.HTTP2 != runner.HTTP2Off {
		streams := "streams"
		if cfg.Streams == 1 {
			streams = "stream"
		}
		fmt.Fprintf(w, "  HTTP/2:      %s, up to %d %s per connection\n", cfg.HTTP2, cfg.Streams, streams)
	}
	if p.count > 1 {
		fmt.Fprintf(w, "  Shard:       %d of %d (of %d connections in all)\n", p.index, p.count, p.totalConnections)
	}
	if !p.startAt.IsZero() {
		fmt.Fprintf(w, "  Start at:    %s\n", p.startAt.Format(time.RFC3339Nano))
	}
	fmt.Fprintf(w, "  Limits:      %d connections, %d threads, %s, %d req/s\n",
		g.limits.Connections, g.limits.Threads, g.limits.Duration, g.limits.Rate)
	if len(g.exceeded) > 0 {
		fmt.Fprintf(w, "  Confirm:     needed (%s): typed host name or --yes\n", strings.Join(g.exceeded, ", "))
	} else {
		fmt.Fprintf(w, "  Confirm:     not needed\n")
	}
	switch {
	case lint.err != nil:
		return lint.err
	case refusal != nil:
		return &codeError{exitPolicy, fmt.Errorf("wrkrun: %w", refusal)}
	}
	return nil
}
