package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/internal/lintgate"
	"github.com/wrklint/wrklint/rules"
	"github.com/wrklint/wrklint/runner"
	"github.com/wrklint/wrklint/runner/luart"
	"github.com/wrklint/wrklint/runner/policy"
)

// scriptOptions are wrkrun's flags for Lua scripts: the lint gate and the
// sandbox policy (docs/architecture.md).
type scriptOptions struct {
	requireLint   bool
	failOn        string
	config        string
	allowEnv      []string
	allowRead     []string
	allowWrite    []string
	allowTarget   []string
	scriptTimeout time.Duration
	scriptMemory  string

	// linted are the modules the lint gate analysed with the script, the
	// only ones the run loads (nil without the gate).
	linted map[string]luart.Module
}

// scriptLongFlags are the long names added to wrk's, for prefix matching.
func scriptLongFlags() []string {
	return []string{"require-lint", "fail-on", "config", "allow-env", "allow-read", "allow-write",
		"allow-target", "script-timeout", "script-memory"}
}

func addScriptFlags(f *pflag.FlagSet, s *scriptOptions) {
	f.BoolVar(&s.requireLint, "require-lint", true, "Lint the script first and refuse it on findings at or above --fail-on")
	f.StringVar(&s.failOn, "fail-on", "", "Lowest finding level that refuses a script: error, warning or note (default: .wrklint.yml's, else error)")
	f.StringVar(&s.config, "config", "", "Configuration file (default: .wrklint.yml in the current directory or above)")
	f.StringArrayVar(&s.allowEnv, "allow-env", nil, "Let os.getenv read NAME (glob)")
	f.StringArrayVar(&s.allowRead, "allow-read", nil, "Let io.open/io.lines read files matching GLOB")
	f.StringArrayVar(&s.allowWrite, "allow-write", nil, "Let io.open write files below DIR")
	f.StringArrayVar(&s.allowTarget, "allow-target", nil, "Allow targeting HOST, *.domain, an IP or a CIDR block (URL, thread.addr, wrk.connect)")
	f.DurationVar(&s.scriptTimeout, "script-timeout", luart.DefaultHookTimeout, "Longest a script hook may run")
	f.StringVar(&s.scriptMemory, "script-memory", "512M", "Heap a script may use (e.g. 512M, 2G)")
}

// lintVerdict is the lint gate's outcome, for --dry-run's plan.
type lintVerdict struct {
	state string // none, passed, skipped, refused (the JSON's lint.verdict)
	text  string
	err   error // the refusal (exit 3), nil when the script passed
}

// lintScript is the lint gate: it prints every unsuppressed finding on
// stderr before the run and refuses the script (exit 3) when one is at or
// above --fail-on. Nothing has been resolved or connected yet.
func lintScript(o *options, src []byte, project *config.ProjectConfig) (lintVerdict, error) {
	so := &o.scriptOpts
	if !so.requireLint {
		fmt.Fprintf(o.stderr, "wrkrun: warning: --require-lint=false: %s is not linted; it still runs in the sandbox\n", o.script)
		return lintVerdict{state: "skipped", text: "skipped (--require-lint=false), sandboxed"}, nil
	}
	cfg := lintgate.Config{Rules: rules.All(), Project: project, Extra: o.extraPolicy()}
	if so.failOn != "" {
		lvl, err := config.ParseLevel(so.failOn)
		if err != nil || lvl == config.LevelNone {
			return lintVerdict{}, &usageError{fmt.Sprintf("wrkrun: --fail-on %q: want error, warning or note", so.failOn)}
		}
		cfg.FailOn = lvl
	}
	res := lintgate.Lint(o.script, src, cfg)
	so.linted = make(map[string]luart.Module, len(res.Modules)) // the only modules the run may load
	for _, m := range res.Modules {
		so.linted[m.Name] = luart.Module{Path: m.Path, Src: m.Src}
	}
	if res.Active() > 0 {
		color := os.Getenv("NO_COLOR") == "" && o.terminal(o.stderr)
		if err := res.Print(o.stderr, color); err != nil {
			return lintVerdict{}, &codeError{exitError, fmt.Errorf("wrkrun: %w", err)}
		}
	}
	if res.Refused() {
		if err := rules.WriteWayOut(o.stderr, res.Blocking); err != nil {
			return lintVerdict{}, &codeError{exitError, fmt.Errorf("wrkrun: %w", err)}
		}
		err := &codeError{exitLint, fmt.Errorf("wrkrun: %s refused by the lint gate: %d finding(s) at or above %s (see above; --fail-on, .wrklint.yml or wrklint:ignore to change)",
			o.script, len(res.Blocking), res.FailOn)}
		v := lintVerdict{state: "refused", text: fmt.Sprintf("refused: %d finding(s) at or above %s", len(res.Blocking), res.FailOn), err: err}
		return v, err
	}
	return lintVerdict{state: "passed", text: fmt.Sprintf("passed (%d finding(s) below %s)", res.Active(), res.FailOn)}, nil
}

func (o *options) extraPolicy() config.Policy {
	return config.Policy{Env: o.scriptOpts.allowEnv, Read: o.scriptOpts.allowRead, Write: o.scriptOpts.allowWrite}
}

// loadProject reads .wrklint.yml (--config, else found from the working
// directory upwards): the lint policy, targets and limits.
func (o *options) loadProject() (*config.ProjectConfig, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, &codeError{exitError, fmt.Errorf("wrkrun: finding the working directory: %w", err)}
	}
	project, err := lintgate.LoadProject(o.scriptOpts.config, wd, rules.All(), o.stderr, "wrkrun")
	if err != nil {
		return nil, &codeError{exitError, fmt.Errorf("wrkrun: %w", err)}
	}
	return project, nil
}

// readScript reads the script and passes it through the lint gate;
// loadScript then takes it.
func readScript(o *options, project *config.ProjectConfig) ([]byte, lintVerdict, error) {
	src, err := os.ReadFile(o.script)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, lintVerdict{}, &codeError{exitError, fmt.Errorf("wrkrun: %s: cannot open %s: %w", o.script, o.script, err)}
	}
	v, err := lintScript(o, src, project)
	return src, v, err
}

// loadScript creates the Lua runtime for the run and prepares thread 1
// (setup, init and the start-up request() check), so that script errors
// end wrkrun before the run starts. The script's output goes to out, with
// the text report.
func loadScript(o *options, out io.Writer, src []byte, project *config.ProjectConfig, cfg runner.Config, plan shardPlan, addr *net.TCPAddr, targets *policy.Targets) (*luart.Script, error) {
	memory, err := parseSize(o.scriptOpts.scriptMemory)
	if err != nil {
		return nil, &usageError{"wrkrun: --script-memory: " + err.Error()}
	}
	policy := project.Policy.Merge(o.extraPolicy())
	s, err := luart.New(o.script, src, luart.Options{
		URL: cfg.URL, Headers: cfg.Headers, Args: o.scriptArgs, Threads: cfg.Threads, Addr: addr,
		Shard: plan.index, Shards: plan.count,
		Policy:      policy,
		Modules:     o.scriptOpts.linted,
		Targets:     targets,
		HookTimeout: o.scriptOpts.scriptTimeout, MemoryBudget: memory,
		Secrets: o.defense.secrets, SecretNames: secretNames(project), Audit: o.defense.audit,
		Stdout: out, Stderr: o.stderr, Warnings: o.stderr,
		// The one exit outside main: a worker stuck in an uninterruptible
		// Go builtin never returns, so Run would never return either.
		OnStuck: func(err error) {
			fmt.Fprintf(o.stderr, "wrkrun: %v\n", err)
			os.Exit(exitError)
		},
	})
	if err != nil {
		return nil, &codeError{exitError, fmt.Errorf("wrkrun: %w", err)}
	}
	if err := s.Prepare(); err != nil {
		s.Close()
		return nil, &codeError{exitError, fmt.Errorf("wrkrun: %w", err)}
	}
	return s, nil
}
