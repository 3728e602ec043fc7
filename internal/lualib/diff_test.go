package lualib

import (
	"bytes"
	"context"
	"encoding/json"
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

// Accepted lists the known differences between luajit and this library
// under gopher-lua, each with its reason (also in docs/wrk-compatibility.md):
// testdata/accepted.json, shared with runner/luart's run of the same
// probes. A difference not listed fails the test; an entry that no longer
// matches anything fails it too, so the list cannot rot.
type Accepted struct {
	Probe  string `json:"probe"`
	LuaJIT string `json:"luajit"`
	Ours   string `json:"ours"`
	Reason string `json:"reason"`
}

func loadAccepted(t testing.TB) []Accepted {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "accepted.json"))
	if err != nil {
		t.Fatal(err)
	}
	var a []Accepted
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("testdata/accepted.json: %v", err)
	}
	for _, e := range a {
		if e.Reason == "" {
			t.Fatalf("testdata/accepted.json: %q has no reason", e.LuaJIT)
		}
	}
	return a
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
	// Only stops a hang: the recursion probe took more than 20 s under
	// the race detector on a loaded machine.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
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
	accepted := loadAccepted(t)
	used := make([]bool, len(accepted))
	total, ran := 0, 0
	for _, p := range probes {
		name := filepath.Base(p)
		t.Run(strings.TrimSuffix(name, ".lua"), func(t *testing.T) {
			ran++
			wantOut := runLuaJIT(t, dir, name)
			if strings.Contains(wantOut, "\nerror: ") || strings.HasPrefix(wantOut, "error: ") {
				t.Errorf("the probe stops with an error under luajit, so its later lines compare nothing: wrap the failing call in pcall")
			}
			want := strings.Split(wantOut, "\n")
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
					if a.Probe == name && a.LuaJIT == w && a.Ours == g {
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
	// Unused entries are only known when every probe ran (not with -run).
	if !t.Failed() && ran == len(probes) {
		for k, u := range used {
			if !u {
				t.Errorf("accepted difference no longer seen, remove it: %+v", accepted[k])
			}
		}
	}
}
