package rules

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/internal/testutil"
)

func TestNearHook(t *testing.T) {
	for name, want := range map[string]string{
		// Reported: another case, or close enough.
		"respone": "response", "reponse": "response", "Response": "response", "RESPONSE": "response", //nolint:misspell // misspelt hooks are the input
		"Init": "init", "dones": "done", "inti": "init", "Done": "done", "reqeust": "request",
		"requests": "request", "setpu": "setup", "Setup": "setup", "delya": "delay", "dealy": "delay",
		"respnse": "response", "responses": "response",
		// Not: the hooks themselves, far names, short names, digits and underscores.
		"response": "", "init": "", "exit": "", "node": "", "set": "", "requests_for": "", "response_time": "",
		"request2": "", "_request": "", "set_up": "", "idle": "", "reset": "", "dine": "done", "it": "", "don": "done", "int": "init", "one": "", "nit": "", "dn": "",
		"req": "", "resp": "", "relay": "delay", "startup": "", "finish": "", "initialize": "", "deinit": "",
		"dne": "done", "on": "",
	} {
		if got := nearHook(name); got != want {
			t.Errorf("nearHook(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"respone", "response", 2, 1}, //nolint:misspell // a misspelt hook is the input
		{"reqeust", "request", 2, 1},  // a transposition is one edit
		{"exit", "init", 2, 2},
		{"node", "done", 2, 2},
		{"requests_for", "request", 2, 3}, // beyond the limit: limit+1
		{"", "done", 4, 4},
		{"done", "done", 1, 0},
		{strings.Repeat("a", 100), strings.Repeat("a", 100), 2, 3}, // too long to be a hook: not compared
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func TestNearWrkField(t *testing.T) {
	for key, want := range map[string]string{
		"header": "headers", "methods": "method", "bodys": "body", "Path": "path", "hosts": "host",
		"url": "", "requests": "", "duration": "", "time_us": "", "connections": "",
	} {
		if got := nearWrkField(key); got != want {
			t.Errorf("nearWrkField(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestHookList(t *testing.T) {
	for mask, want := range map[uint8]string{
		bitInit:                           "init()",
		bitRequest | bitResponse:          "request() and response()",
		bitInit | bitDelay | bitResponse:  "init(), delay() and response()",
		bitTop:                            "",
		bitSetup | bitInit | bitTop | 128: "setup() and init()",
	} {
		if got := hookList(mask); got != want {
			t.Errorf("hookList(%b) = %q, want %q", mask, got, want)
		}
	}
}

// TestCorrectnessHostile runs the WL8xx rules on scripts built to be
// expensive: long call chains, deep nesting, many hooks and near names.
// They must finish quickly and report what they should.
func TestCorrectnessHostile(t *testing.T) {
	rules := []*analyzer.Rule{MisspelledHook, LocalHook, ThreadStateInDone, RequestWithoutResult, UnknownWrkField}
	var chain strings.Builder
	chain.WriteString("n = 0\n")
	const depth = 3000
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&chain, "local function f%d() %s end\n", i, map[bool]string{true: "n = n + 1", false: fmt.Sprintf("f%d()", i-1)}[i == 0])
	}
	fmt.Fprintf(&chain, "function response() f%d() end\nfunction done() print(n) end\n", depth-1)

	var elseifs strings.Builder
	elseifs.WriteString("function request()\n  local r = math.random(5000)\n  if r == 0 then return wrk.format() ")
	for i := 1; i < 2000; i++ {
		fmt.Fprintf(&elseifs, "elseif r == %d then return wrk.format(nil, \"/%d\") ", i, i)
	}
	elseifs.WriteString("end\nend\n")

	var nested strings.Builder
	nested.WriteString("function request()\n")
	for i := 0; i < 150; i++ {
		nested.WriteString("if math.random() < 0.5 then\n")
	}
	nested.WriteString("return wrk.format()\n")
	for i := 0; i < 150; i++ {
		nested.WriteString("else return wrk.format() end\n")
	}
	nested.WriteString("end\n")

	var fields strings.Builder
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&fields, "wrk.f%d = %d\n", i, i)
	}

	var locals strings.Builder
	for i := 0; i < 3000; i++ {
		locals.WriteString("do local function request() return request() end end\n")
	}
	var reads strings.Builder
	for i := 0; i < 3000; i++ {
		reads.WriteString("n = 0\n")
	}
	reads.WriteString("function response() n = n + 1 end\nfunction done()\n")
	for i := 0; i < 3000; i++ {
		reads.WriteString("print(n)\n")
	}
	reads.WriteString("end\n")

	for _, tt := range []struct {
		name string
		src  string
		want map[string]int
	}{
		{"many local hooks", locals.String(), map[string]int{"WL802": 3000}},
		{"many reads and writes", reads.String(), map[string]int{"WL803": 1}},
		{"call chain", chain.String(), map[string]int{"WL803": 1}},
		{"elseif chain", elseifs.String(), map[string]int{"WL804": 1}},
		{"nested ifs", nested.String(), map[string]int{}},
		{"many fields", fields.String(), map[string]int{"WL805": 5000}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// CPU time, not wall time: the elseif chain took 22 s of a
			// loaded machine's wall time under -race. Not parallel, so
			// the process's CPU time is the analysis's.
			start, cpu := time.Now(), testutil.ProcessCPU(t)
			got := map[string]int{}
			for _, f := range analyzer.AnalyzeSource("hostile.lua", []byte(tt.src), rules, nil) {
				got[f.RuleID]++
			}
			elapsed, wall := testutil.ProcessCPU(t)-cpu, time.Since(start)
			t.Logf("%v CPU, %v wall", elapsed, wall)
			if limit := 20 * time.Second; elapsed > limit {
				t.Errorf("took %v of CPU (%v wall), want at most %v", elapsed, wall, limit)
			}
			for id, n := range tt.want {
				if got[id] != n {
					t.Errorf("%s: %d findings, want %d (all: %v)", id, got[id], n, got)
				}
			}
			for id, n := range got {
				if _, ok := tt.want[id]; !ok {
					t.Errorf("unexpected %d %s findings", n, id)
				}
			}
		})
	}
}
