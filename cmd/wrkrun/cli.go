package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	buildversion "github.com/wrklint/wrklint/internal/version"
	"github.com/wrklint/wrklint/runner"
	"github.com/wrklint/wrklint/runner/policy"
)

// Exit codes are wrkrun's public API (README.md, docs/architecture.md).
const (
	exitOK     = 0 // the run completed, whatever the socket errors
	exitError  = 1 // usage, URL, connection or script runtime error, as wrk
	exitLint   = 3 // the lint gate refused the script (findings printed)
	exitPolicy = 4 // refused by the target or limit policy
)

// version is the module's build version, the same as wrklint's.
func version() string { return buildversion.String() }

// options holds the flag values and positional arguments of one command
// line, plus the streams the command writes to.
type options struct {
	connections uint64
	duration    time.Duration
	threads     uint64
	script      string
	headers     []string
	latency     bool
	timeout     time.Duration
	version     bool
	help        bool
	flagFailed  bool // the flag parser failed (getopt's error comes first)
	verify      bool
	tlsNoResume bool   // --no-tls-resume
	tlsHybrid   bool   // --hybrid-kex
	rate        uint64 // -R
	// negative records -c and -R given as negative numbers, which wrk's
	// strtoull wraps around to huge ones: the message must say why.
	negative    struct{ connections, rate bool }
	uncorrected bool // -U
	http2       runner.HTTP2Mode
	streams     uint64 // -m

	scriptOpts scriptOptions
	guard      guardOptions
	shard      shardOptions
	defense    defenseOptions
	jsonPath   string // --json: "" none, "-" stdout
	results    resultOptions

	url        string
	scriptArgs []string

	env
}

// usageError makes main print the usage text after its message (which may
// be empty), as wrk does for every command-line mistake.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// codeError carries a failure and the exit code main returns for it.
type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string { return e.err.Error() }
func (e *codeError) Unwrap() error { return e.err }

// wrkLongFlags are wrk's own long options: a prefix that matches one of
// them and only wrkrun's additions otherwise (--d: --duration, not
// --dry-run) keeps its wrk meaning.
func wrkLongFlags() []string {
	return []string{"connections", "duration", "threads", "script", "header",
		"latency", "timeout", "version", "help"}
}

// longFlags are the long option names, for getopt-style unique prefixes.
func longFlags() []string {
	long := append(append(wrkLongFlags(), scriptLongFlags()...), guardLongFlags()...)
	long = append(long, defenseLongFlags()...)
	long = append(long, resultLongFlags()...)
	return append(append(long, shardLongFlags()...), "verify", "no-tls-resume", "hybrid-kex", "json", "rate", "u_latency",
		"http2", "streams")
}

// wrkMatch returns the only wrk option among matches, "" if not exactly one.
func wrkMatch(matches []string) string {
	found := ""
	for _, m := range matches {
		for _, w := range wrkLongFlags() {
			if m == w {
				if found != "" {
					return ""
				}
				found = m
			}
		}
	}
	return found
}

// wrkNoArgFlags are wrk's options without an argument: getopt_long
// refuses "--latency=x" for them.
var wrkNoArgFlags = map[string]bool{"latency": true, "version": true, "help": true}

// expandPrefixes rewrites unique long-option prefixes (--thr → --threads)
// as getopt_long accepts them. An unknown or ambiguous option, or a value
// given to one of wrk's options without an argument, is getopt's error;
// getopt reports it only when it reaches it, after the options before it
// took effect (-v prints the version) or failed (-c x), so the arguments
// are cut there and the error is returned besides them.
func expandPrefixes(args []string) ([]string, error) {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...), nil
		}
		if !strings.HasPrefix(a, "--") || len(a) == 2 {
			out = append(out, a)
			continue
		}
		name, value, hasValue := strings.Cut(a[2:], "=")
		var matches []string
		for _, f := range longFlags() {
			if f == name {
				matches = []string{f}
				break
			}
			if strings.HasPrefix(f, name) {
				matches = append(matches, f)
			}
		}
		switch len(matches) {
		case 0:
			return out, &usageError{fmt.Sprintf("wrkrun: unrecognized option '--%s'", name)}
		case 1:
			name = matches[0]
		default:
			if w := wrkMatch(matches); w != "" {
				name = w
				break
			}
			return out, &usageError{fmt.Sprintf("wrkrun: option '--%s' is ambiguous; possibilities: '--%s'",
				name, strings.Join(matches, "' '--"))}
		}
		if hasValue && wrkNoArgFlags[name] {
			return out, &usageError{fmt.Sprintf("wrkrun: option '--%s' doesn't allow an argument", name)}
		}
		if hasValue {
			out = append(out, "--"+name+"="+value)
		} else {
			out = append(out, "--"+name)
		}
	}
	return out, nil
}

// errHelp stops the parsing at -h/--help, as wrk's getopt loop returns
// there: later options are not looked at.
var errHelp = errors.New("help")

// helpValue is -h/--help: a bool flag that ends the parsing.
type helpValue struct{}

func (helpValue) String() string   { return "false" }
func (helpValue) Type() string     { return "bool" }
func (helpValue) IsBoolFlag() bool { return true }
func (helpValue) Set(string) error { return errHelp }

// versionValue is -v/--version: wrk prints the version the moment getopt
// reaches it and goes on parsing, so "-v -c x" prints the version and then
// the usage, and "-c x -v" only the usage.
type versionValue struct {
	w io.Writer
	v *bool
}

func (versionValue) String() string   { return "false" }
func (versionValue) Type() string     { return "bool" }
func (versionValue) IsBoolFlag() bool { return true }
func (v versionValue) Set(string) error {
	*v.v = true
	fmt.Fprintf(v.w, "wrkrun %s [epoll] wrk 4.x compatible\n", version())
	return nil
}

// newRootCmd builds the command; runF does the work once the command line
// is valid (tests pass their own).
func newRootCmd(opts *options, runF func(*options) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:           "wrkrun <options> <url> [-- script args]",
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &usageError{}
			}
			opts.url, opts.scriptArgs = args[0], args[1:]
			return runF(opts)
		},
	}
	cmd.SetOut(opts.stdout)
	cmd.SetErr(opts.stderr)
	cmd.CompletionOptions.DisableDefaultCmd = true
	cmd.SetHelpFunc(func(c *cobra.Command, _ []string) {
		if c != cmd { // a subcommand's --help
			fmt.Fprintf(c.OutOrStdout(), "%s\n\n%s", c.Long, c.UsageString())
			return
		}
		opts.help = true
	})
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		opts.flagFailed = true
		return &usageError{flagMessage(err)}
	})
	f := cmd.Flags()
	f.SortFlags = false
	f.VarP(metricValue{v: &opts.connections, neg: &opts.negative.connections}, "connections", "c", "Connections to keep open")
	f.VarP(timeValue{&opts.duration}, "duration", "d", "Duration of test")
	f.VarP(metricValue{v: &opts.threads}, "threads", "t", "Number of threads to use")
	f.StringVarP(&opts.script, "script", "s", "", "Load Lua script file")
	f.StringArrayVarP(&opts.headers, "header", "H", nil, "Add header to request")
	f.BoolVarP(&opts.latency, "latency", "L", false, "Print latency statistics")
	f.VarP(timeValue{&opts.timeout}, "timeout", "T", "Socket/request timeout")
	f.VarP(versionValue{opts.stdout, &opts.version}, "version", "v", "Print version details")
	f.Lookup("version").NoOptDefVal = "true"
	f.VarP(helpValue{}, "help", "h", "Print usage")
	f.Lookup("help").NoOptDefVal = "true"
	f.BoolVar(&opts.verify, "verify", false, "Verify TLS certificates")
	f.BoolVar(&opts.tlsNoResume, "no-tls-resume", false, "Full TLS handshake on every connection (wrk's behaviour)")
	f.BoolVar(&opts.tlsHybrid, "hybrid-kex", false, "Offer the X25519MLKEM768 post-quantum hybrid key exchange")
	f.VarP(metricValue{v: &opts.rate, neg: &opts.negative.rate}, "rate", "R", "Constant throughput, requests/s in total (wrk2)")
	f.BoolVarP(&opts.uncorrected, "u_latency", "U", false, "With -R: also print the uncorrected latency distribution")
	f.Var(http2Value{&opts.http2}, "http2", "HTTP/2: h2c with http://, ALPN h2 with https:// (=auto: fall back to HTTP/1.1)")
	f.Lookup("http2").NoOptDefVal = "require"
	f.VarP(metricValue{v: &opts.streams}, "streams", "m", "With --http2: concurrent streams per connection (1)")
	addScriptFlags(f, &opts.scriptOpts)
	addGuardFlags(f, &opts.guard)
	addShardFlags(f, &opts.shard)
	addDefenseFlags(f, &opts.defense)
	f.StringVar(&opts.jsonPath, "json", "", "Also write the result as JSON to FILE (- for stdout; the text report then goes to stderr)")
	addResultFlags(f, &opts.results, true)
	return cmd
}

// flagMessage turns pflag's errors into getopt's messages; bad values
// print only the usage, as in wrk, and so do -h and wrk's -r and -?, which
// are in wrk's option string (without a handler).
func flagMessage(err error) string {
	var notExist *pflag.NotExistError
	var required *pflag.ValueRequiredError
	switch {
	case errors.Is(err, errHelp):
		return ""
	case errors.As(err, &notExist):
		if short := notExist.GetSpecifiedShortnames(); short != "" {
			// pflag names the first unknown letter in its message.
			m := notExist.Error()
			if i := strings.Index(m, "'"); i >= 0 && i+2 < len(m) {
				if c := m[i+1 : i+2]; c != "r" && c != "?" {
					return "wrkrun: invalid option -- '" + c + "'"
				}
			}
			return ""
		}
		return "wrkrun: unrecognized option '--" + notExist.GetSpecifiedName() + "'"
	case errors.As(err, &required):
		if required.GetSpecifiedShortnames() != "" {
			return "wrkrun: option requires an argument -- '" + required.GetFlag().Shorthand + "'"
		}
		return "wrkrun: option '--" + required.GetFlag().Name + "' requires an argument"
	}
	return ""
}

func defaultOptions(e env) *options {
	return &options{
		connections: 10, duration: 10 * time.Second, threads: 2, timeout: 2 * time.Second,
		streams: 1, env: e,
	}
}

// Main runs wrkrun with the given arguments (without the program name) and
// returns the process exit code. Unlike the wrkrun binary, it does not
// confine the process (Landlock is for the whole process and for good, and
// tests call Main many times in one).
func Main(args []string, stdout, stderr io.Writer) int {
	return run(args, processEnv(stdout, stderr))
}

// run is Main with every outside dependency injectable (tests).
func run(args []string, e env) int {
	return execute(args, e, runBenchmark)
}

// subcommandError is a command-line mistake in a subcommand (merge,
// demo): printed with that subcommand's usage, cobra-style, on stderr.
type subcommandError struct {
	cmd *cobra.Command
	err error
}

func (e *subcommandError) Error() string { return e.err.Error() }

// execute parses the command line and runs it: a subcommand (merge, demo)
// with cobra's parsing, or else the benchmark with wrk's getopt rules,
// runF doing the work once the command line is valid (tests pass their
// own). It returns the exit code; every error is printed here, once.
func execute(args []string, e env, runF func(*options) error) int {
	stdout, stderr := e.stdout, e.stderr
	opts := defaultOptions(e)
	subs := []*cobra.Command{newMergeCmd(e), newDemoCmd(e), newReportCmd(e), newCompareCmd(e)}
	err := func() error {
		expanded, optErr := args, error(nil)
		if !isSubcommand(subs, args) {
			expanded, optErr = expandPrefixes(args)
		}
		if optErr != nil {
			// Parse what comes before the bad option: its errors and
			// -v take effect first, then optErr is reported.
			runF = func(*options) error { return optErr }
		}
		cmd := newRootCmd(opts, runF)
		cmd.AddCommand(subs...)
		cmd.SetArgs(expanded)
		err := cmd.Execute()
		if optErr != nil && !opts.flagFailed {
			return optErr
		}
		if err == nil && opts.help {
			return &usageError{}
		}
		return err
	}()
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		if ue.msg != "" {
			fmt.Fprintln(stderr, ue.msg)
		}
		_, _ = io.WriteString(stdout, usageText())
		return exitError
	}
	var se *subcommandError
	if errors.As(err, &se) {
		fmt.Fprintf(stderr, "%s: %v\n", se.cmd.CommandPath(), se.err)
		fmt.Fprint(stderr, se.cmd.UsageString())
		return exitError
	}
	var ce *codeError
	if errors.As(err, &ce) {
		fmt.Fprintln(stderr, ce.err)
		// A script that reached outside the target policy (wrk.lookup,
		// thread.addr, wrk.connect) is refused like the URL would be.
		var refused *policy.RefusedError
		if errors.As(err, &refused) {
			return exitPolicy
		}
		return ce.code
	}
	fmt.Fprintln(stderr, err)
	return exitError
}

// isSubcommand reports whether the command line starts with a subcommand's
// name; anything else (a URL, an option) is wrk's command line.
func isSubcommand(subs []*cobra.Command, args []string) bool {
	if len(args) == 0 {
		return false
	}
	for _, c := range subs {
		if c.Name() == args[0] {
			return true
		}
	}
	return false
}

// usageText is wrk's usage with the program name, wrkrun's --verify and
// the script flags. Unlike wrk's, it lists every flag (-L, -T, -h too).
func usageText() string {
	lines := []string{
		"Usage: wrkrun <options> <url>",
		"  Options:",
		"    -c, --connections <N>  Connections to keep open",
		"    -d, --duration    <T>  Duration of test",
		"    -t, --threads     <N>  Number of threads to use",
		"",
		"    -s, --script      <S>  Load Lua script file",
		"    -H, --header      <H>  Add header to request",
		"    -L, --latency          Print latency statistics",
		"    -T, --timeout     <T>  Socket/request timeout",
		"        --verify           Verify TLS certificates",
		"        --no-tls-resume    Full TLS handshake on every connection",
		"        --hybrid-kex       Offer X25519MLKEM768 key exchange",
		"    -R, --rate        <N>  Constant rate, requests/s (wrk2)",
		"    -U, --u_latency        Also print uncorrected latency",
		"        --http2[=auto]     HTTP/2 (h2c, or ALPN h2 over TLS)",
		"    -m, --streams     <N>  With --http2: streams per connection",
		"    -v, --version          Print version details",
		"    -h, --help             Print this usage",
		"",
		"  Lua scripts are linted first and run sandboxed:",
		"        --require-lint=false  Skip the lint (still sandboxed)",
		"        --fail-on     <L>  Refuse at findings >= L (error)",
		"        --config      <F>  .wrklint.yml to use",
		"        --allow-env   <N>  Let os.getenv read N",
		"        --allow-read  <G>  Let io.open/lines read files G",
		"        --allow-write <D>  Let io.open write below D",
		"        --script-timeout <T>  Longest hook call (1s)",
		"        --script-memory <S>   Script heap budget (512M)",
		"",
		"  Target and load guard, output:",
		"        --allow-target <A> Allow HOST[:PORT], *.domain, IP, CIDR",
		"        --yes              Run above the limits unasked",
		"        --dry-run          Print the plan, send nothing",
		"        --json        <F>  Write the result as JSON (- stdout)",
		"        --threshold   <E>  Fail (exit 99) unless E, e.g. p99<200ms",
		"        --interval    <T>  Time series interval (1s)",
		"        --html        <F>  Write an HTML report with charts",
		"        --abort-on    <E>  Stop the load when E holds (exit 99)",
		"        --quiet            No live progress line",
		"        --no-redact        Do not mask secrets in script output",
		"        --audit       <F>  Audit log of the script (JSON lines)",
		"        --no-confine       Do not confine wrkrun (Landlock)",
		"",
		"  Distributed runs (docs/distributed.md):",
		"        --shard       <I/N> Be shard I of N (0-based)",
		"        --shards      <N>  N shards, I from JOB_COMPLETION_INDEX",
		"        --start-at    <T>  Start at RFC 3339 time T",
		"",
	}
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%-54s\n", l)
	}
	b.WriteString("  wrkrun demo: a local server, a benchmark and two refusals\n")
	b.WriteString("  wrkrun merge [-s script] shard.json...: merge shard results\n")
	b.WriteString("  wrkrun report result.json... --html F: charts of saved runs\n")
	b.WriteString("  wrkrun compare base.json new.json: regressions (exit 99)\n")
	b.WriteString("  Numeric arguments may include a SI unit (1k, 1M, 1G)\n")
	b.WriteString("  Time arguments may include a time unit (2s, 2m, 2h)\n")
	return b.String()
}

// parseHeaders applies wrk's "Name: value" rule. Unlike wrk, "Name:value"
// is accepted with a warning; a string without ':' is still dropped, but
// not silently.
func parseHeaders(raw []string, stderr io.Writer) []runner.Header {
	var out []runner.Header
	for _, h := range raw {
		name, value, ok := strings.Cut(h, ":")
		switch {
		case !ok || name == "":
			fmt.Fprintf(stderr, "wrkrun: warning: header %q ignored: no \"Name: value\" form\n", h)
			continue
		case strings.HasPrefix(value, " "):
			value = value[1:]
		default:
			fmt.Fprintf(stderr, "wrkrun: warning: header %q has no space after ':' (wrk would ignore it); sending it\n", h)
		}
		out = append(out, runner.Header{Name: name, Value: value})
	}
	return out
}

// config validates the command line into a runner configuration, with
// wrk's checks in wrk's order.
func (o *options) config() (runner.Config, runner.Target, error) {
	if o.threads == 0 || o.duration <= 0 {
		return runner.Config{}, runner.Target{}, &usageError{}
	}
	// wrk checks the URL before the connections.
	target, err := runner.ParseURL(o.url)
	if err != nil {
		return runner.Config{}, runner.Target{}, &usageError{err.Error()}
	}
	if o.connections == 0 || o.connections < o.threads || o.negative.connections {
		return runner.Config{}, runner.Target{}, &usageError{"number of connections must be >= threads"}
	}
	const maxConns = 1 << 20
	if o.connections > maxConns {
		return runner.Config{}, runner.Target{}, &usageError{fmt.Sprintf("number of connections must be <= %d", maxConns)}
	}
	const maxRate = 1 << 30
	if o.negative.rate {
		return runner.Config{}, runner.Target{}, &usageError{"rate must be a positive number of requests/s (or 0 for no rate limit)"}
	}
	if o.rate > maxRate {
		return runner.Config{}, runner.Target{}, &usageError{fmt.Sprintf("rate must be <= %d requests/s", maxRate)}
	}
	const maxStreams = 1 << 10
	switch {
	case o.streams == 0:
		return runner.Config{}, runner.Target{}, &usageError{"wrkrun: -m/--streams must be >= 1"}
	case o.streams > 1 && o.http2 == runner.HTTP2Off:
		return runner.Config{}, runner.Target{}, &usageError{"wrkrun: -m/--streams needs --http2 (HTTP/1.1 has one request in flight per connection)"}
	case o.streams > maxStreams:
		return runner.Config{}, runner.Target{}, &usageError{fmt.Sprintf("wrkrun: -m/--streams must be <= %d", maxStreams)}
	}
	if o.uncorrected && o.rate == 0 {
		return runner.Config{}, runner.Target{}, &usageError{"wrkrun: -U needs -R: without a schedule there is no uncorrected latency"}
	}
	return runner.Config{
		URL:         o.url,
		Threads:     int(o.threads),
		Connections: int(o.connections),
		Duration:    o.duration,
		Timeout:     o.timeout,
		Headers:     parseHeaders(o.headers, o.stderr),
		Verify:      o.verify,
		Rate:        int(o.rate),
		// TLS options.
		TLSNoResume:  o.tlsNoResume,
		TLSHybridKEX: o.tlsHybrid,
		HTTP2:        o.http2,
		Streams:      int(o.streams),
	}, target, nil
}

// http2Value is --http2[=require|auto].
type http2Value struct{ v *runner.HTTP2Mode }

func (h http2Value) String() string { return h.v.String() }
func (h http2Value) Type() string   { return "mode" }
func (h http2Value) Set(s string) error {
	switch s {
	case "require", "true":
		*h.v = runner.HTTP2Require
	case "auto":
		*h.v = runner.HTTP2Auto
	case "off", "false":
		*h.v = runner.HTTP2Off
	default:
		return fmt.Errorf("--http2=%q: want auto (or no value)", s)
	}
	return nil
}

var (
	_ pflag.Value = http2Value{}
	_ pflag.Value = metricValue{}
	_ pflag.Value = timeValue{}
)
