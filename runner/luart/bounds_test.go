package luart

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// TestGoCallsBounded: Go functions a script reaches refuse oversized
// results or too deep recursion with a Lua error, whatever the script
// configured.
func TestGoCallsBounded(t *testing.T) {
	tests := []struct {
		name, src, wantErr string
		budget             uint64 // 0: 512 MiB
	}{
		{"cjson encode depth capped", `local cjson = require("cjson") cjson.encode_max_depth(2^31-1)
local t = {} t[1] = t cjson.encode(t)`, "Cannot serialise, excessive nesting (1001)", 0},
		{"cjson encode of a deep chain capped", `local cjson = require("cjson") cjson.encode_max_depth(2^31-1)
local t = {} for i = 1, 5000 do t = {t} end cjson.encode(t)`, "excessive nesting (1001)", 0},
		{"cjson decode depth capped", `local cjson = require("cjson") cjson.decode_max_depth(2^31-1)
cjson.decode(string.rep("[", 5000))`, "Found too many nested data structures (1001)", 0},
		{"cjson encode size", `local cjson = require("cjson") local s = string.rep("\1", 1024*1024)
local t = {} for i = 1, 20 do t[i] = s end cjson.encode(t)`, "result exceeds the sandbox limit of 16 MiB", 0},
		{"wrk.format size", `local h = {} local v = string.rep("v", 1024*1024) for i = 1, 20 do h["X" .. i] = v end
wrk.format("GET", "/", h)`, "wrk.format: the request would be longer than 16 MiB", 0},
		{"concat size", `local s = string.rep("x", 8*1024*1024) local r = s .. s .. s`, "not enough memory", 0},
		{"concat keeps LuaJIT's words", `local r = "x" .. {}`, "attempt to concatenate a table value", 0},
		{"thread:set entries", `function setup(thread) local t = {} for i = 1, 1100000 do t[i] = i end thread:set("t", t) end`,
			"cannot transfer more than 1048576 table entries", 512 << 20},
		{"thread:set depth", `function setup(thread) local t = {} for i = 1, 300 do t = {t} end thread:set("t", t) end`,
			"nested more than 200 levels", 0},
		{"Go struct formatting", `string.format("%#v", {})`, "invalid option '%#v' to 'format'", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			budget := tt.budget
			if budget == 0 {
				budget = 512 << 20
			}
			// MaxString as a 64 MiB budget makes it (TestMaxStringFollowsBudget),
			// with a budget that other tests' garbage cannot reach first.
			s, err := New("bounds.lua", []byte(tt.src), Options{URL: "http://127.0.0.1/", Threads: 1, MemoryBudget: budget,
				MaxString: 16 << 20, HookTimeout: 30 * time.Second})
			if err == nil {
				defer s.Close()
				_, err = s.NewThread(0)
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestCopyStopsWhenCancelled: a copy polls the destination state's
// context, which the watchdog cancels for the memory budget.
func TestCopyStopsWhenCancelled(t *testing.T) {
	src := lua.NewState()
	defer src.Close()
	big := src.NewTable()
	for i := 1; i <= 100000; i++ {
		big.RawSetInt(i, src.NewTable())
	}
	dst := lua.NewState()
	defer dst.Close()
	ctx, cancel := context.WithCancelCause(context.Background())
	dst.SetContext(ctx)
	cancel(errMemory)
	_, err := copyValue(big, dst)
	if !errors.Is(err, errMemory) {
		t.Fatalf("err = %v, want the memory budget", err)
	}
	dst.RemoveContext()
	if _, err := copyValue(big, dst); err != nil {
		t.Fatalf("uncancelled copy: %v", err)
	}
}

// TestEncodeValueLimit: a table holding one big string many times is
// refused while it is encoded, not after.
func TestEncodeValueLimit(t *testing.T) {
	ls := lua.NewState()
	defer ls.Close()
	tbl := ls.NewTable()
	s := lua.LString(strings.Repeat("x", 1<<20))
	for i := 1; i <= 1000; i++ {
		tbl.RawSetInt(i, s)
	}
	if _, err := EncodeValueLimit(tbl, 8<<20); !errors.Is(err, errTooLarge) {
		t.Fatalf("err = %v, want errTooLarge", err)
	}
	small := ls.NewTable()
	small.RawSetString("a", lua.LNumber(1))
	raw, err := EncodeValueLimit(small, 1<<10)
	if err != nil || string(raw) != `{"table":[["a",1]]}` {
		t.Fatalf("= %s, %v", raw, err)
	}
}

// TestMemoryBudgetIsCurrentHeap: the watchdog stops a script whose live
// heap passes the budget within a few ticks, even right after a
// collection (the old watchdog read the last collection's figure).
func TestMemoryBudgetIsCurrentHeap(t *testing.T) {
	s, err := New("grow.lua", []byte(`function init() local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end end`),
		Options{URL: "http://127.0.0.1/", Threads: 1, MemoryBudget: 64 << 20, HookTimeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.NewThread(0)
	if err == nil || !strings.Contains(err.Error(), "memory budget of 64 MiB exceeded") {
		t.Fatalf("err = %v, want the memory budget", err)
	}
}

// TestMaxStringFollowsBudget: a small budget lowers what one call builds.
func TestMaxStringFollowsBudget(t *testing.T) {
	tests := []struct {
		opts Options
		want int
	}{
		{Options{}, DefaultMaxString},
		{Options{MemoryBudget: 64 << 20}, 16 << 20},
		{Options{MemoryBudget: 64 << 20, MaxString: 1 << 20}, 1 << 20},
		{Options{MemoryBudget: 8 << 30}, DefaultMaxString},
	}
	for _, tt := range tests {
		if got := tt.opts.maxString(); got != tt.want {
			t.Errorf("%+v: maxString = %d, want %d", tt.opts, got, tt.want)
		}
	}
}
