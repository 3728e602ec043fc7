package luart

import (
	"io"
	"net"
	"time"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/internal/audit"
	"github.com/wrklint/wrklint/internal/redact"
	"github.com/wrklint/wrklint/runner"
	"github.com/wrklint/wrklint/runner/policy"
)

// Defaults for Options fields left zero.
const (
	DefaultHookTimeout  = time.Second
	DefaultMemoryBudget = 512 << 20
	// DefaultMaxString bounds the strings Go builtins such as string.rep
	// build in one call, which the watchdog cannot interrupt.
	DefaultMaxString = 64 << 20
)

// Options configures a Script. URL and Threads are required; the zero value
// of every other field is usable.
type Options struct {
	URL     string          // target as typed; args[0] of init
	Headers []runner.Header // -H headers, in order (later duplicates win)
	Args    []string        // extra command-line arguments: args[1..n] of init
	Threads int             // number of thread states (-t)

	// Addr is the address the threads connect to by default (wrk.addrs[1]
	// and the initial thread.addr). Nil leaves thread.addr nil until
	// setup() assigns one.
	Addr *net.TCPAddr

	// Shard and Shards are this process's part of a sharded run
	// (wrk.shard, wrk.shards); Shards 0 means one. Merged marks the state
	// wrkrun merge runs done() in: wrk.shard is nil there.
	Shard, Shards int
	Merged        bool

	// Policy is what the script may do at run time: allow.env names for
	// os.getenv, allow.read and allow.write paths for io.open and io.lines,
	// allow.modules for require. Patterns as in config.Policy.
	Policy config.Policy
	// Modules are the modules the lint gate analysed with the script, by
	// the name required. When non-nil, require loads only these, from the
	// contents the gate analysed (a file changed since does not matter),
	// and refuses any other name (one computed at run time). Nil (no gate)
	// loads allowed modules found next to the script.
	Modules map[string]Module
	// Targets is the target policy wrk.lookup, thread.addr and
	// wrk.connect obey (policy.CheckLookup, CheckScript): the CLI's, with
	// the URL's approved addresses and port (WithApproved). Nil allows
	// nothing but the URL's host and Addr, which the CLI has checked.
	Targets *policy.Targets

	HookTimeout  time.Duration // bound on one hook call; 0: DefaultHookTimeout
	MemoryBudget uint64        // heap bytes; 0: DefaultMemoryBudget
	MaxString    int           // bound on a string built by one builtin; 0: DefaultMaxString, at most MemoryBudget/4

	// Seed makes the random sources reproducible: state k (0 main, i+1
	// thread i) is seeded with Seed+k. 0 seeds each state from the clock
	// and its index, so that threads differ (wrk never seeds).
	Seed int64

	// Secrets turns redaction on: everything the script writes (Stdout,
	// Stderr, Warnings) and its error messages are masked of the values
	// in the set, to which the runtime adds what it learns: the values of
	// secret-named environment variables the script reads (SecretNames),
	// -H and wrk.format credential headers sent, and those the script
	// sees in responses. Nil: no redaction (--no-redact).
	Secrets *redact.Set
	// SecretNames says which environment variables hold secrets; the
	// zero value is redact.DefaultNames().
	SecretNames redact.Names
	// Audit receives an event for every environment read, file open,
	// module load, address connected and redaction; nil records nothing.
	Audit *audit.Log

	Stdout   io.Writer // print, io.write, io.stdout; nil discards
	Stderr   io.Writer // io.stderr; nil discards
	Warnings io.Writer // sandbox denials, one line each; nil discards

	// Resolver serves wrk.lookup; nil uses net.DefaultResolver.
	Resolver *net.Resolver

	// OnStuck is called once, from the watchdog's goroutine, when a hook
	// stopped for its timeout still has not returned after a grace period:
	// it is stuck in a Go builtin that nothing can interrupt, and the
	// worker running it will never return. The CLI exits the process.
	OnStuck func(error)

	// Exit is called by os.exit(code) after the script's output is
	// flushed; nil ends the process with os.Exit, as wrk does (no
	// report). Tests set it; when it returns, the hook fails.
	Exit func(code int)
}

func (o *Options) hookTimeout() time.Duration {
	if o.HookTimeout > 0 {
		return o.HookTimeout
	}
	return DefaultHookTimeout
}

func (o *Options) memoryBudget() uint64 {
	if o.MemoryBudget > 0 {
		return o.MemoryBudget
	}
	return DefaultMemoryBudget
}

// maxString is MaxString, or DefaultMaxString but at most a quarter of
// the memory budget: one Go call builds its result in one allocation the
// watchdog cannot stop, and growing it by appends briefly holds twice
// that, so a small budget needs smaller single results for the peak to
// stay within twice the budget.
func (o *Options) maxString() int {
	if o.MaxString > 0 {
		return o.MaxString
	}
	return int(min(DefaultMaxString, o.memoryBudget()/4))
}

func (o *Options) resolver() *net.Resolver {
	if o.Resolver != nil {
		return o.Resolver
	}
	return net.DefaultResolver
}

// checkScript applies the target policy to an address the script wants
// to use.
func (o *Options) checkScript(a *scriptAddr) policy.Verdict {
	v := o.Targets.CheckScript(a.IP, a.Port, a.name)
	if !v.Allowed && !v.Denied && o.Addr != nil && o.Addr.IP.Equal(a.IP) && o.Addr.Port == a.Port {
		v.Allowed, v.Rule = true, "the URL's address"
	}
	return v
}

// Module is a module file the lint gate analysed: where it was found and
// the contents analysed, which require runs.
type Module struct {
	Path string
	Src  []byte
}
