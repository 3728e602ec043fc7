package lualib

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// TestBounds runs allocation and work bombs against a state with a 64 MiB
// string limit: each must end with a Lua error, quickly, without
// allocating (TotalAlloc) more than its allowance: about nothing when the
// size is known before building (rep, concat, format, %q, unpack), less
// than 1.5 times the limit when a result grows step by step (gsub: the
// smaller buffers before the limit plus the last one).
func TestBounds(t *testing.T) {
	const limit = 64 << 20
	cases := []struct {
		name  string
		setup func(ls *lua.LState) // builds inputs outside the measurement
		src   string
		want  string // substring of the error
		alloc uint64 // TotalAlloc allowance during the call
	}{
		{"rep 1 GiB", nil, `return string.rep("x", 2^30)`, "not enough memory", 1 << 20},
		{"rep of rep", nil, `return ("x"):rep(1e5):rep(1e5)`, "not enough memory", 1 << 20},
		{"rep with separator", nil, `return string.rep("x", 1e8, ",")`, "not enough memory", 1 << 20},
		{"rep of a 32 MiB string", func(ls *lua.LState) {
			ls.SetGlobal("s", lua.LString(strings.Repeat("x", 32<<20)))
		}, `return s:rep(3)`, "not enough memory", 1 << 20},
		{"concat 1e6 x 100 bytes", func(ls *lua.LState) {
			t := ls.CreateTable(1e6, 0)
			s := lua.LString(strings.Repeat("y", 100))
			for i := 1; i <= 1e6; i++ {
				t.RawSetInt(i, s)
			}
			ls.SetGlobal("big", t)
		}, `return table.concat(big)`, "not enough memory", 1 << 20},
		{"concat with a long separator", func(ls *lua.LState) {
			t := ls.CreateTable(1e4, 0)
			for i := 1; i <= 1e4; i++ {
				t.RawSetInt(i, lua.LString("a"))
			}
			ls.SetGlobal("t", t)
			ls.SetGlobal("sep", lua.LString(strings.Repeat(",", 1e4)))
		}, `return table.concat(t, sep)`, "not enough memory", 1 << 20},
		{"format width", nil, `return string.format("%099999d", 1)`, "invalid option '%0999'", 1 << 20},
		{"format of long strings", func(ls *lua.LState) {
			ls.SetGlobal("s", lua.LString(strings.Repeat("z", 40<<20)))
		}, `return string.format("%s%s", s, s)`, "not enough memory", 70 << 20},
		{"quote expansion", func(ls *lua.LState) {
			ls.SetGlobal("s", lua.LString(strings.Repeat("\n", 40<<20)))
		}, `return string.format("%q", s)`, "not enough memory", 1 << 20},
		{"gsub expansion", func(ls *lua.LState) {
			ls.SetGlobal("s", lua.LString(strings.Repeat("x", 1<<20)))
		}, `return (s:gsub(".", ("y"):rep(100)))`, "not enough memory", 3 * limit / 2},
		{"gsub of one 40 MiB run", func(ls *lua.LState) {
			ls.SetGlobal("s", lua.LString(strings.Repeat("x", 40<<20)))
		}, `return (s:gsub("x+", "%0%0"))`, "too complex", 1 << 20},
		{"gsub %0 doubling", func(ls *lua.LState) {
			ls.SetGlobal("s", lua.LString(strings.Repeat("x", 1<<20)))
		}, `return (s:gsub("x", ("%0"):rep(100)))`, "too complex", 3 * limit / 2},
		{"backtracking find on 1 MB", func(ls *lua.LState) {
			ls.SetGlobal("s", lua.LString(strings.Repeat("a", 1<<20)))
		}, `return s:find(("a*"):rep(10) .. "b")`, "too complex", 1 << 20},
		{"quadratic match on 1 MB", func(ls *lua.LState) {
			ls.SetGlobal("s", lua.LString(strings.Repeat("a", 1<<20)))
		}, `return s:match("(.-)b")`, "too complex", 1 << 20},
		{"backtracking gmatch on 1 MB", func(ls *lua.LState) {
			ls.SetGlobal("s", lua.LString(strings.Repeat("a", 1<<20)))
		}, `for x in s:gmatch("a-b") do end`, "too complex", 1 << 20},
		{"unpack 1e8", nil, `return unpack({}, 1, 1e8)`, "too many results to unpack", 1 << 20},
		{"unpack full int range", nil, `return unpack({}, -2^31, 2^31 - 1)`, "too many results to unpack", 1 << 20},
		{"insert far below", nil, `table.insert({1}, -2^31, 1)`, "too complex", 1 << 20},
		// gopher-lua's array part is dense: t[6e7] = v would allocate
		// about a gigabyte.
		{"insert far above", nil, `table.insert({}, 6e7, 1)`, "not enough memory", 1 << 20},
		{"move far above", nil, `table.move({1, 2}, 1, 2, 6e7)`, "not enough memory", 1 << 20},
		{"byte of 64 MiB", func(ls *lua.LState) {
			ls.SetGlobal("s", lua.LString(strings.Repeat("b", 32<<20)))
		}, `return s:byte(1, -1)`, "string slice too long", 1 << 20},
		{"pattern recursion", func(ls *lua.LState) {
			ls.SetGlobal("s", lua.LString(strings.Repeat("a", 1000)))
		}, `return s:match(("a?"):rep(1000) .. ("a"):rep(1000))`, "pattern too complex", 1 << 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The bounds are structural (a size check before allocating,
			// a step budget): what is asserted is the error and the
			// allocation. CPU time only guards against a missing bound
			// (unbounded, these run for minutes); the ~100 ms each takes
			// is measured, not asserted: a loaded machine doubles it.
			d := runBomb(t, c.setup, c.src, c.want, c.alloc, limit)
			if !raceEnabled && d > 2*time.Second {
				t.Errorf("took %v of CPU: is the bound missing?", d)
			}
		})
	}
}

// runBomb runs src once in a fresh state and returns the CPU time the
// call took.
func runBomb(t *testing.T, setup func(*lua.LState), src, want string, allowance uint64, limit int) time.Duration {
	t.Helper()
	var out bytes.Buffer
	ls := newTestState(&out, Limits{MaxString: limit})
	defer ls.Close()
	if setup != nil {
		setup(ls)
	}
	fn, err := ls.LoadString(src)
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	// CPU time of this thread, not wall time: the test machine is
	// shared, and the bound is about work done.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0 := threadCPU(t)
	start := time.Now()
	ls.Push(fn)
	err = PCall(ls, 0, lua.MultRet)
	wall := time.Since(start)
	elapsed := threadCPU(t) - cpu0
	runtime.ReadMemStats(&ms)
	alloc := ms.TotalAlloc - before
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v, want one containing %q", err, want)
	}
	t.Logf("%v CPU (%v wall), %.1f MiB allocated: %s", elapsed, wall, float64(alloc)/(1<<20), firstLine(err.Error()))
	if alloc > allowance {
		t.Errorf("allocated %d bytes, allowance %d", alloc, allowance)
	}
	return elapsed
}

// TestCancel checks that a long library call stops when the state's
// context is cancelled, not only the VM between instructions.
func TestCancel(t *testing.T) {
	var out bytes.Buffer
	ls := newTestState(&out, Limits{MaxSteps: 1 << 40})
	defer ls.Close()
	// Everything but the call is ready before the deadline's clock
	// starts: on a loaded machine the set-up outlived 50 ms, and the VM,
	// not the library call, saw the deadline.
	ls.SetGlobal("s", lua.LString(strings.Repeat("a", 1<<20)))
	ls.SetGlobal("p", lua.LString(strings.Repeat("a*", 10)+"b"))
	fn, err := ls.LoadString(`return s:find(p)`)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	ls.SetContext(ctx)
	start := time.Now()
	ls.Push(fn)
	err = ls.PCall(0, lua.MultRet, nil)
	if err == nil || !strings.Contains(err.Error(), "script stopped") {
		t.Fatalf("error = %v, want a cancellation", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("stopped after %v", d)
	}
}

// threadCPU is the CPU time used so far by the calling OS thread.
func threadCPU(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
