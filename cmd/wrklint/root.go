package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/internal/lintgate"
	"github.com/wrklint/wrklint/report"
)

// options holds what the commands depend on. main fills it with the real
// process (os.Stdout, rules.All(), analyzer.Run); tests pass buffers, a
// small fake rule list and, where they need findings, a fake Analyze.
type options struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Rules is the catalogue: what is run, listed and explained.
	Rules []*analyzer.Rule
	// Version is printed by --version and written into JSON and SARIF
	// reports.
	Version string
	// Getenv reads the environment (NO_COLOR).
	Getenv func(string) string
	// Getwd is where the search for .wrklint.yml starts, and SARIF's
	// %SRCROOT%.
	Getwd func() (string, error)
	// IsTerminal reports whether w is a terminal, which turns color on.
	IsTerminal func(w io.Writer) bool
	// Analyze runs the analysis; analyzer.Run in production.
	Analyze func(analyzer.Options, []string) *analyzer.Result
}

// lintFlags are the root command's flag values.
type lintFlags struct {
	format   formatValue
	output   string
	failOn   levelValue
	noColor  bool
	config   string
	baseline string
	// stdinFilename names the script read from standard input.
	stdinFilename string
}

// execute runs wrklint with args (without the program name) and returns
// the exit code. Every error is printed here, once.
func execute(args []string, opts *options) exitCode {
	cmd := newRootCmd(opts)
	cmd.SetArgs(args)
	return exitCodeFor(opts.Stderr, cmd.Execute())
}

func newRootCmd(opts *options) *cobra.Command {
	flags := &lintFlags{format: "text", failOn: levelValue(analyzer.LevelError)}
	cmd := &cobra.Command{
		Use:   "wrklint [flags] [path ...]",
		Short: "Static security analyzer for wrk Lua scripts",
		Long: `wrklint checks wrk Lua scripts for what a load-test script should not do:
write or delete files, run commands, read the environment, load network
modules or dynamic code, hard-code secrets, or send load somewhere else.

Paths are files or directories (searched recursively for *.lua); the
default is the current directory. A path that is a subcommand name
("rules", "explain", "lsp", "help") must be written as ./rules. The path -
reads one script from standard input; --stdin-filename gives its path for
the report, the configuration search and exclude (as ruff and eslint do).

Configuration comes from --config, or else from the first .wrklint.yml
found in the current directory or its parents. --fail-on on the command
line wins over fail-on in the file.

Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage or configuration error
  3  a path could not be read (wins over 1; the other files are still reported)`,
		Example: `  wrklint scripts/
  wrklint -f json -o wrklint.json .
  wrklint -f sarif -o wrklint.sarif --baseline main.sarif .
  wrklint --fail-on warning load.lua
  cat load.lua | wrklint --stdin-filename load.lua -
  wrklint explain WL101`,
		Args:          cobra.ArbitraryArgs,
		Version:       opts.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLint(opts, flags, cmd.Flags().Changed("fail-on"), args)
		},
	}
	cmd.SetOut(opts.Stdout)
	cmd.SetErr(opts.Stderr)
	cmd.SetVersionTemplate("wrklint {{.Version}}\n")
	cmd.CompletionOptions.DisableDefaultCmd = true
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{err: err}
	})

	f := cmd.Flags()
	f.VarP(&flags.format, "format", "f", "output format: text, json, sarif (SARIF 2.1.0 for GitHub code scanning), github (GitHub Actions annotations) or junit (JUnit XML for CI test reports)")
	f.StringVarP(&flags.output, "output", "o", "", "write the report to `FILE` instead of stdout")
	f.Var(&flags.failOn, "fail-on", "lowest level that makes wrklint exit 1: error, warning or note")
	f.BoolVar(&flags.noColor, "no-color", false, "no colors (also off when NO_COLOR is set, stdout is not a terminal, or -o is used)")
	// Declared here so that cobra does not add a -v shorthand the README
	// does not document; cobra still handles it (prints the version template).
	f.Bool("version", false, "print the version")
	f.StringVar(&flags.config, "config", "", "configuration `FILE` (default: .wrklint.yml in the current directory or above)")
	f.StringVar(&flags.baseline, "baseline", "", "report only findings not in this earlier JSON or SARIF report `FILE`")
	f.StringVar(&flags.stdinFilename, "stdin-filename", "", "with the path - (standard input): the script's `PATH`, used in the report, to find .wrklint.yml and to apply its exclude")

	cmd.AddCommand(newRulesCmd(opts), newExplainCmd(opts), newLSPCmd(opts))
	return cmd
}

func runLint(opts *options, flags *lintFlags, failOnSet bool, paths []string) error {
	fromStdin, err := stdinRequest(paths, flags.stdinFilename)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	wd, err := opts.Getwd()
	if err != nil {
		return fmt.Errorf("finding the working directory: %w", err)
	}
	project, err := loadConfig(opts, flags.config, configDir(wd, flags.stdinFilename))
	if err != nil {
		return err
	}
	var baseline *report.Baseline
	if flags.baseline != "" {
		if baseline, err = report.LoadBaseline(flags.baseline); err != nil {
			return err
		}
	}
	failOn := analyzer.Level(flags.failOn)
	if !failOnSet && project.FailOn != analyzer.LevelNone {
		failOn = project.FailOn
	}

	// The report is written to a temporary file beside the output and
	// renamed over it only when complete, so a failed run never leaves a
	// truncated report (or destroys the previous one). Created before the
	// analysis: a bad -o path fails fast.
	out := opts.Stdout
	var file *os.File
	var commitReport func() error
	if flags.output != "" && !isRegularOrAbsent(flags.output) {
		// A device or pipe (/dev/stdout, a FIFO) is written in place: it
		// cannot be replaced by a rename.
		var err error
		file, err = os.OpenFile(flags.output, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return fmt.Errorf("cannot open the report file: %w", err)
		}
		defer file.Close() // a second Close after the checked one is harmless
		commitReport = func() error {
			if err := file.Close(); err != nil {
				return fmt.Errorf("closing the report file: %w", err)
			}
			return nil
		}
		out = file
	} else if flags.output != "" {
		target := flags.output
		if resolved, err := filepath.EvalSymlinks(target); err == nil {
			target = resolved // keep a symlinked report a symlink
		}
		var err error
		file, err = os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // name the report, not the temporary file
			}
			return fmt.Errorf("cannot create the report file %s: %w", flags.output, err)
		}
		committed := false
		defer func() {
			if !committed {
				_ = file.Close()
				_ = os.Remove(file.Name())
			}
		}()
		commit := func() error {
			if err := file.Chmod(0o644); err != nil {
				return fmt.Errorf("writing the report file: %w", err)
			}
			if err := file.Close(); err != nil {
				return fmt.Errorf("closing the report file: %w", err)
			}
			if err := os.Rename(file.Name(), target); err != nil {
				return fmt.Errorf("writing the report file: %w", err)
			}
			committed = true
			return nil
		}
		commitReport = commit
		out = file
	}

	cfg := analyzer.Options{
		Rules:    opts.Rules,
		Policy:   project.Policy,
		Disabled: project.Disabled,
		Levels:   project.Levels,
		Secrets:  &project.Secrets,
		Exclude:  project.ExcludeFunc(wd),
		// A script is analysed with the modules it loads.
		FollowModules: true,
	}
	if file != nil {
		cfg.Exclude = either(cfg.Exclude, isFile(flags.output))
	}
	var res *analyzer.Result
	if fromStdin {
		name := stdinName
		if flags.stdinFilename != "" {
			name = flags.stdinFilename
		}
		excluded := name != stdinName && cfg.Exclude != nil && cfg.Exclude(absPath(wd, name))
		if res, err = analyzeStdin(opts.Stdin, name, cfg, excluded); err != nil {
			return err
		}
	} else {
		res = opts.Analyze(cfg, paths)
	}
	baselined := 0
	if baseline != nil {
		kept := baseline.Filter(res.Findings)
		baselined = countActive(res.Findings) - countActive(kept)
		res.Findings = kept
	}

	bw := bufio.NewWriter(out)
	switch flags.format {
	case "json":
		err = report.JSON(bw, res, opts.Version)
	case "sarif":
		err = report.SARIF(bw, res, report.SARIFOptions{Version: opts.Version, Rules: opts.Rules, SrcRoot: wd})
	case "github":
		err = report.GitHub(bw, res, report.GitHubOptions{SrcRoot: wd, Baselined: baselined})
	case "junit":
		err = report.JUnit(bw, res)
	default:
		color := !flags.noColor && file == nil && opts.Getenv("NO_COLOR") == "" && opts.IsTerminal(out)
		err = report.Text(bw, res, report.TextOptions{Color: color, Baselined: baselined})
	}
	if err == nil {
		if ferr := bw.Flush(); ferr != nil {
			err = fmt.Errorf("writing the report: %w", ferr)
		}
	}
	if err == nil && commitReport != nil {
		err = commitReport()
	}
	if err != nil {
		return err
	}

	// The text report on stdout already names the unreadable paths; when the
	// report is JSON or goes to a file, say so on stderr too, so that the
	// person reading the terminal learns why wrklint exits 3.
	code := resultCode(res, failOn)
	if file != nil {
		// A report in a file is read later, if at all: the terminal (a
		// pre-commit hook, a CI log) learns here what failed the run.
		summarizeToStderr(opts.Stderr, res, failOn, baselined, flags.output)
	} else if flags.format != "text" {
		for _, e := range res.Errors {
			fmt.Fprintf(opts.Stderr, "wrklint: %s\n", e)
		}
	}
	if code != exitOK {
		return &exitStatus{code: code}
	}
	return nil
}

// isFile returns a matcher for the report file, so that a directory walk
// does not analyse the (still empty) report wrklint is about to write, as
// with "wrklint -o report.lua .".
func isFile(name string) func(path string) bool {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil
	}
	base := filepath.Base(abs)
	return func(p string) bool {
		if filepath.Base(p) != base {
			return false
		}
		pa, err := filepath.Abs(p)
		return err == nil && pa == abs
	}
}

// resultCode is the exit code for a finished analysis.
func resultCode(res *analyzer.Result, failOn analyzer.Level) exitCode {
	if len(res.Errors) > 0 {
		return exitUnreadable
	}
	for i := range res.Findings {
		if res.Findings[i].Suppression != nil {
			continue // reported in SARIF, never counted
		}
		if l := res.Findings[i].Level; l != analyzer.LevelNone && l >= failOn {
			return exitFindings
		}
	}
	return exitOK
}

// loadConfig reads the file named by --config, or else the first
// .wrklint.yml in wd or its parents, or else the defaults: the same search
// as wrkrun's (lintgate.LoadProject).
func loadConfig(opts *options, explicit, wd string) (*config.ProjectConfig, error) {
	return lintgate.LoadProject(explicit, wd, opts.Rules, opts.Stderr, "wrklint")
}

// either combines two path matchers; either may be nil.
func either(a, b func(string) bool) func(string) bool {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return func(p string) bool { return a(p) || b(p) }
}

// formatValue is --format, validated while the flags are parsed.
type formatValue string

func (f *formatValue) String() string { return string(*f) }
func (f *formatValue) Type() string   { return "text|json|sarif|github|junit" }
func (f *formatValue) Set(s string) error {
	switch s {
	case "text", "json", "sarif", "github", "junit":
		*f = formatValue(s)
		return nil
	}
	return fmt.Errorf("unknown format %q (want text, json, sarif, github or junit)", s)
}

// levelValue is --fail-on, validated while the flags are parsed.
type levelValue analyzer.Level

func (l *levelValue) String() string { return analyzer.Level(*l).String() }
func (l *levelValue) Type() string   { return "error|warning|note" }
func (l *levelValue) Set(s string) error {
	switch strings.ToLower(s) {
	case "error":
		*l = levelValue(analyzer.LevelError)
	case "warning":
		*l = levelValue(analyzer.LevelWarning)
	case "note":
		*l = levelValue(analyzer.LevelNote)
	default:
		return fmt.Errorf("unknown level %q (want error, warning or note)", s)
	}
	return nil
}

// isRegularOrAbsent reports whether path does not exist yet or is a
// regular file (through symlinks): those are written by rename.
func isRegularOrAbsent(path string) bool {
	info, err := os.Stat(path)
	if err != nil {
		return errors.Is(err, fs.ErrNotExist)
	}
	return info.Mode().IsRegular()
}
