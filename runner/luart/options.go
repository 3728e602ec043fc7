package luart

import (
	"io"
	"net"
	"time"

	"github.com/wrklint/wrklint/config"
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
	// Targets is the target policy thread.addr and wrk.connect obey, the
	// same value the CLI checked the URL's host with; nil is the default
	// policy (local addresses only). Addr is always allowed: the CLI has
	// already checked it.
	Targets *policy.Targets

	HookTimeout  time.Duration // bound on one hook call; 0: DefaultHookTimeout
	MemoryBudget uint64        // heap bytes; 0: DefaultMemoryBudget
	MaxString    int           // bound on a string built by one builtin; 0: DefaultMaxString

	// Seed makes the random sources reproducible: state k (0 main, i+1
	// thread i) is seeded with Seed+k. 0 seeds each state from the clock
	// and its index, so that threads differ (wrk never seeds).
	Seed int64

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

func (o *Options) maxString() int {
	if o.MaxString > 0 {
		return o.MaxString
	}
	return DefaultMaxString
}

func (o *Options) resolver() *net.Resolver {
	if o.Resolver != nil {
		return o.Resolver
	}
	return net.DefaultResolver
}

// checkTarget applies the target policy to ip.
func (o *Options) checkTarget(ip net.IP) policy.Verdict {
	v := o.Targets.CheckIP(ip)
	if !v.Allowed && !v.Denied && o.Addr != nil && o.Addr.IP.Equal(ip) {
		v.Allowed, v.Rule = true, "the URL's address"
	}
	return v
}
