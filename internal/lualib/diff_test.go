package lualib

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// accepted lists the known differences between luajit and this library
// under gopher-lua, each with its reason (also in docs/wrk-compatibility.md).
// A difference not listed fails the test; an entry that no longer matches
// anything fails it too, so the list cannot rot.
var accepted = []struct {
	probe, luajit, ours, reason string
}{
	{
		"errors.lua",
		"false\terrors.lua:4: bad argument #1 to 'rep' (number expected, got no value)",
		"false\terrors.lua:4: bad argument #2 to 'rep' (number expected, got no value)",
		"a method call (s:rep()) counts the receiver as argument #1: gopher-lua does not tell a Go function that it was called with ':'",
	},
	{
		"format.lua",
		"false\tbad argument #2 to '?' (number expected, got nil)",
		"false\tformat.lua:47: bad argument #2 to 'format' (number expected, got nil)",
		"a library function called in a tail call (return f(x)) is reported with the caller's position and name: gopher-lua keeps the caller's frame",
	},
	{
		"math.lua",
		"17\t1\t1\tnan\t2\t0.5\t54",
		"17\t1\t1\tnan\t1\t0.5\t54",
		"the % operator is computed by gopher-lua's VM, which rounds (2^53+2) % 3 differently from LuaJIT",
	},
	{
		"numbers.lua",
		"-0\t-0\t-0\t-0\t-0",
		"0\t0\t0\t-0\t0",
		"gopher-lua's compiler folds the constants -0, -0.0 and 0 * -1 to +0; -x of a variable holding 0 is -0 as in LuaJIT",
	},
	{"base.lua", "3", "99", "gopher-lua's VM honours __len for tables; LuaJIT (Lua 5.1) does not"},
	{"base.lua", "true\tstep0 ran", "true\tstep0 skipped", "a numeric for with step 0 is run by gopher-lua's VM, which treats the step as negative"},
	{"base.lua", "true\t0", "true\t4", "a numeric for with step 0 (see above)"},
	{"base.lua", "nil\tfunction\tfalse\tinvalid key to 'next'", "nil\tfunction\ttrue\tnil", "gopher-lua's next returns nil for a key that is not in the table"},
	{"base.lua", "false\tbase.lua:46: attempt to perform arithmetic on a string value", "false\tbase.lua:46: cannot perform add operation between string and number", "raised by gopher-lua's VM in its own words"},
	{"base.lua", "false\tbase.lua:47: attempt to compare two table values", "false\tbase.lua:47: attempt to compare table with table", "raised by gopher-lua's VM in its own words"},
	{"coroutines.lua", "false\tcoroutines.lua:19: attempt to index local 'x' (a nil value)", "false\tcoroutines.lua:19: attempt to index a non-table object(nil) with key 'y'", "raised by gopher-lua's VM in its own words (LuaJIT names the variable)"},
	{"coroutines.lua", "1\tLua 5.1\ttable\ttable\tnil", "1\tLua 5.1\tnil\ttable\tnil", "the jit module is not provided"},
	{
		"concat.lua",
		"false\tconcat.lua:14: attempt to concatenate a nil value",
		"false\tconcat.lua:14: cannot perform concat operation between string and nil",
		"the error of a failed concatenation is raised by gopher-lua's VM in its own words",
	},
	{
		"concat.lua",
		"false\tconcat.lua:15: attempt to concatenate a table value",
		"false\tconcat.lua:15: cannot perform concat operation between string and table",
		"the error of a failed concatenation is raised by gopher-lua's VM in its own words",
	},
	{
		"tables.lua",
		"byte char dump find format gmatch gsub len lower match rep reverse sub upper",
		"byte char find format gmatch gsub len lower match rep reverse sub upper",
		"string.dump is not provided: gopher-lua has no bytecode to dump",
	},
	{
		"tables.lua",
		"nil\tnil\tnil\ttrue\ttrue\ttrue",
		"nil\tnil\tnil\ttrue\ttrue\tfalse",
		"string.dump is not provided (see above)",
	},
}

// luajitPath returns the luajit binary, or skips the test.
func luajitPath(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("luajit")
	if err != nil {
		t.Skip("luajit is not installed (Debian package luajit; .ci/run installs it): the differential tests need it")
	}
	return p
}

// runLuaJIT runs src as the file name under luajit in dir and returns
// its standard output and standard error.
func runLuaJIT(t testing.TB, dir, name string) string {
	t.Helper()
	out, timedOut := runLuaJITFor(t, dir, name, 20*time.Second)
	if timedOut {
		t.Fatalf("luajit %s ran longer than 20s", name)
	}
	return out
}

// runLuaJITFor is runLuaJIT with a time limit; it reports whether luajit
// was stopped by it.
func runLuaJITFor(t testing.TB, dir, name string, limit time.Duration) (string, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, luajitPath(t), name) //nolint:gosec // the test runs the luajit binary found in PATH on its own probe files
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errOut
	if err := cmd.Run(); err != nil {
		// "luajit: file:line: msg" (argv[0] may be a path), then a
		// traceback: only the message is compared.
		msg := firstLine(errOut.String())
		if i := strings.Index(msg, "luajit: "); i >= 0 {
			msg = msg[i+len("luajit: "):]
		}
		out.WriteString("error: " + msg + "\n")
	}
	return out.String(), ctx.Err() != nil
}

// newTestState is a gopher-lua state set up as wrkrun's: gopher-lua's base
// and coroutine libraries, this package for the rest, print and io.write
// with LuaJIT's number formatting.
func newTestState(out *bytes.Buffer, lim Limits) *lua.LState {
	ls := lua.NewState(StateOptions())
	for _, open := range []lua.LGFunction{lua.OpenBase, lua.OpenTable, lua.OpenString, lua.OpenMath, lua.OpenCoroutine, lua.OpenOs} {
		ls.Push(ls.NewFunction(open))
		ls.Call(0, 0)
	}
	Open(ls, lim, Base, String, Table, Math, Bit, OS, Coroutine)
	rnd := rand.New(rand.NewPCG(1, 2))
	mt := ls.GetGlobal("math").(*lua.LTable)
	mt.RawSetString("random", ls.NewFunction(MathRandom(rnd.Float64)))
	mt.RawSetString("randomseed", ls.NewFunction(func(*lua.LState) int { return 0 }))
	ls.SetGlobal("print", ls.NewFunction(func(ls *lua.LState) int {
		for i := 1; i <= ls.GetTop(); i++ {
			if i > 1 {
				out.WriteByte('\t')
			}
			out.WriteString(ToString(ls, ls.Get(i)))
		}
		out.WriteByte('\n')
		return 0
	}))
	io := ls.NewTable()
	io.RawSetString("write", ls.NewFunction(func(ls *lua.LState) int {
		for i := 1; i <= ls.GetTop(); i++ {
			out.WriteString(checkString(ls, i))
		}
		return 0
	}))
	ls.SetGlobal("io", io)
	return ls
}

// runOurs runs the probe file under gopher-lua with this library.
func runOurs(t testing.TB, dir, name string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	ls := newTestState(&out, Limits{})
	defer ls.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ls.SetContext(ctx)
	func() {
		defer func() {
			if r := recover(); r != nil {
				out.WriteString("PANIC: " + strings.TrimSpace(strings.SplitN(toStr(r), "\n", 2)[0]) + "\n")
			}
		}()
		chunk, err := parse.Parse(bytes.NewReader(src), name)
		if err != nil {
			out.WriteString("load: " + err.Error() + "\n")
			return
		}
		proto, err := lua.Compile(RewriteConcat(chunk), name)
		if err != nil {
			out.WriteString("load: " + err.Error() + "\n")
			return
		}
		ls.Push(ls.NewFunctionFromProto(proto))
		if err := ls.PCall(0, 0, nil); err != nil {
			out.WriteString("error: " + firstLine(err.Error()) + "\n")
		}
	}()
	return out.String()
}

func toStr(v any) string {
	if e, ok := v.(error); ok {
		return e.Error()
	}
	if s, ok := v.(string); ok {
		return s
	}
	return "non-string panic"
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

func TestDifferential(t *testing.T) {
	luajitPath(t)
	dir := filepath.Join("testdata", "probes")
	probes, err := filepath.Glob(filepath.Join(dir, "*.lua"))
	if err != nil || len(probes) == 0 {
		t.Fatalf("no probes in %s (%v)", dir, err)
	}
	used := make([]bool, len(accepted))
	total := 0
	for _, p := range probes {
		name := filepath.Base(p)
		t.Run(strings.TrimSuffix(name, ".lua"), func(t *testing.T) {
			want := strings.Split(runLuaJIT(t, dir, name), "\n")
			got := strings.Split(runOurs(t, dir, name), "\n")
			total += len(want)
			for i := 0; i < len(want) || i < len(got); i++ {
				var w, g string
				if i < len(want) {
					w = want[i]
				}
				if i < len(got) {
					g = got[i]
				}
				if w == g {
					continue
				}
				ok := false
				for k, a := range accepted {
					if a.probe == name && a.luajit == w && a.ours == g {
						used[k], ok = true, true
						break
					}
				}
				if !ok {
					t.Errorf("line %d:\n  luajit: %q\n  ours:   %q", i+1, w, g)
				}
			}
		})
	}
	t.Logf("%d probes, %d lines of luajit output compared", len(probes), total)
	if !t.Failed() {
		for k, u := range used {
			if !u {
				t.Errorf("accepted difference no longer seen, remove it: %+v", accepted[k])
			}
		}
	}
}
