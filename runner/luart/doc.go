// Package luart runs wrk 4.x Lua scripts on gopher-lua, sandboxed, for
// wrkrun. A *Script implements runner.Script.
//
// # States and hook order
//
// As in wrk, there is one main Lua state, in which setup(thread) runs once
// per thread and done(summary, latency, requests) runs after the report,
// and one state per thread, in which init(args), delay(), request() and
// response(status, headers, body) run. The script's top level runs in every
// state. Thread 1 is prepared (setup, init, start-up request() check) when
// the caps are first asked for, because wrk decides which hooks exist on
// thread 1 after its init; the other threads are prepared by NewThread in
// order, so the order of setup and init calls is wrk's (see wrk-compat.md
// §3.1).
//
// # Sandbox
//
// The sandbox is always on: dynamic code loading, debug, the environment
// functions, collectgarbage, string.dump, module and newproxy are absent;
// os keeps time, clock, date and a getenv limited to allowed names; io keeps
// write to stdout and open/lines limited to the allowed paths; require only
// knows "wrk", "cjson", "cjson.safe" and allowed pure-Lua modules next to
// the script. Every denial is reported once per call site on
// Options.Warnings, naming the flag or configuration key that would allow
// it.
//
// Every call into Lua recovers Go panics. A watchdog cancels a state whose
// hook runs longer than Options.HookTimeout, and every state when the heap
// grows past Options.MemoryBudget; the hook then fails with a clear error,
// which ends the run.
package luart
