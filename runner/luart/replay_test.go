package luart

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/wrklint/wrklint/internal/testutil"
)

func TestValueRoundTrip(t *testing.T) {
	ls := lua.NewState()
	defer ls.Close()
	tests := []struct {
		name, src string
		want      string // encoding; "" to skip the comparison
	}{
		{"nil", "return nil", "null"},
		{"bool", "return true", "true"},
		{"integer", "return 42", "42"},
		{"fraction", "return -0.125", "-0.125"},
		{"large", "return 2^60", "1152921504606846976"},
		{"inf", "return 1/0", `{"number":"inf"}`},
		{"-inf", "return -1/0", `{"number":"-inf"}`},
		{"nan", "return 0/0", `{"number":"nan"}`},
		{"string", `return "a\"b\n"`, `"a\"b\n"`},
		{"not UTF-8", `return "\255\0x"`, `{"bytes":"/wB4"}`},
		{"array", "return {1, 'two', false}", `{"table":[[1,1],[2,"two"],[3,false]]}`},
		{"nested, keys of every kind", "return {a = {b = {c = 1}}, [1.5] = 'x', [true] = {}}", ""},
		{"shared subtable twice", "local s = {1}; return {s, s}", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ls.DoString(tt.src); err != nil {
				t.Fatal(err)
			}
			v := ls.Get(-1)
			ls.Pop(1)
			raw, err := EncodeValue(v)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" && string(raw) != tt.want {
				t.Errorf("encoded %s, want %s", raw, tt.want)
			}
			back, err := DecodeValue(ls, raw)
			if err != nil {
				t.Fatalf("decoding %s: %v", raw, err)
			}
			again, err := EncodeValue(back)
			if err != nil || string(again) != string(raw) {
				t.Errorf("round trip: %s became %s (%v)", raw, again, err)
			}
			if n, ok := v.(lua.LNumber); ok && math.IsNaN(float64(n)) {
				return
			}
			if _, ok := v.(*lua.LTable); !ok && back != v && back.String() != v.String() {
				t.Errorf("decoded %v, want %v", back, v)
			}
		})
	}
}

func TestValueEncodeRefuses(t *testing.T) {
	ls := lua.NewState()
	defer ls.Close()
	for _, src := range []string{
		"return print",
		"local t = {}; t.self = t; return t",
		"local t = {}; local c = t; for i = 1, 300 do c.next = {}; c = c.next end; return t",
		"return {f = function() end}",
	} {
		if err := ls.DoString(src); err != nil {
			t.Fatal(err)
		}
		v := ls.Get(-1)
		ls.Pop(1)
		if raw, err := EncodeValue(v); err == nil {
			t.Errorf("%s: encoded as %s, want an error", src, raw)
		}
	}
}

func TestValueDecodeRefuses(t *testing.T) {
	ls := lua.NewState()
	defer ls.Close()
	for _, doc := range []string{
		``, `{`, `[1]`, `{"a":1,"b":2}`, `{"bytes":"!!"}`, `{"number":"big"}`, `{"table":[[1]]}`,
		`{"table":[[null,1]]}`, `{"table":[[{"number":"nan"},1]]}`, `{"other":1}`,
		strings.Repeat(`{"table":[[1,`, 250) + "1" + strings.Repeat(`]]}`, 250),
	} {
		if v, err := DecodeValue(ls, json.RawMessage(doc)); err == nil {
			t.Errorf("%.40s: decoded as %v, want an error", doc, v)
		}
	}
}

// FuzzDecodeValue: a result file is untrusted input to wrkrun merge.
func FuzzDecodeValue(f *testing.F) {
	for _, s := range []string{`null`, `{"table":[[1,{"bytes":"AA=="}],["k",{"number":"inf"}]]}`, `"x"`, `1e308`} {
		f.Add(s)
	}
	ls := lua.NewState()
	defer ls.Close()
	f.Fuzz(func(t *testing.T, doc string) {
		v, err := DecodeValue(ls, json.RawMessage(doc))
		if err != nil {
			return
		}
		if _, err := EncodeValue(v); err != nil {
			t.Fatalf("decoded %q but cannot encode it again: %v", doc, err)
		}
	})
}

// TestReplayDone records what done() reads in two runs of setup.lua (two
// shards of two threads each), then replays them in one merged done():
// it sees all four threads, numbered by its own setup, with the values
// each shard's done() read.
func TestReplayDone(t *testing.T) {
	var threads []ReplayThread
	var shardOut []string
	for shard := range 2 {
		s, out, _ := load(t, "setup.lua", "", Options{Threads: 2, Shard: shard, Shards: 2})
		drive(t, s, 2, 3+shard, nil)
		if err := s.Done(Result{}); err != nil {
			t.Fatal(err)
		}
		shardOut = append(shardOut, out.String())
		rec := s.ThreadValues()
		for i := range 2 {
			if got := len(rec[i]); got != 3 {
				t.Fatalf("shard %d thread %d: recorded %d values (%v), want id, requests, responses", shard, i, got, rec[i])
			}
			threads = append(threads, ReplayThread{Values: rec[i]})
		}
	}
	var out testutil.SyncBuffer
	r, err := NewReplay("setup.lua", readCompat(t, "setup.lua"), Options{URL: "http://127.0.0.1:8080/", Shards: 2, Stdout: &out}, threads)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Done(Result{}); err != nil {
		t.Fatal(err)
	}
	// Thread 1 of each shard makes the start-up request() call.
	want := "thread 1: 4 requests, 3 responses\nthread 2: 3 requests, 3 responses\n" +
		"thread 3: 5 requests, 4 responses\nthread 4: 4 requests, 4 responses\n"
	if got := out.String(); !strings.HasSuffix(got, want) {
		t.Errorf("merged done() printed %q, want suffix %q (shards printed %q)", got, want, shardOut)
	}
	if strings.Contains(out.String(), "created") {
		t.Errorf("init() ran in the replay: %q", out.String())
	}
}

func TestShardFields(t *testing.T) {
	src := "function done() io.write(tostring(wrk.shard), ' ', tostring(wrk.shards), '\\n') end\n"
	for _, tt := range []struct {
		opts Options
		want string
	}{
		{Options{}, "0 1\n"},
		{Options{Shard: 2, Shards: 4}, "2 4\n"},
	} {
		s, out, _ := load(t, "shard.lua", src, tt.opts)
		if err := s.Done(Result{}); err != nil {
			t.Fatal(err)
		}
		if out.String() != tt.want {
			t.Errorf("%+v: wrk.shard, wrk.shards = %q, want %q", tt.opts, out.String(), tt.want)
		}
	}
	r, err := NewReplay("shard.lua", []byte(src), Options{URL: "http://127.0.0.1:8080/", Shards: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var b strings.Builder
	r.stdout = newLockedWriter(&b)
	if err := r.Done(Result{}); err != nil {
		t.Fatal(err)
	}
	if b.String() != "nil 3\n" {
		t.Errorf("merged: wrk.shard, wrk.shards = %q, want nil 3", b.String())
	}
}

// TestRecordOnlyInDone: values read in setup are not recorded; a name
// done() reads that is not set is recorded as nil.
func TestRecordOnlyInDone(t *testing.T) {
	src := `local ts = {}
function setup(t) t:set("x", 1); local _ = t:get("x"); ts[#ts+1] = t end
function init() f = function() end; n = 7 end
function done() local a, b = ts[1]:get("n"), ts[1]:get("missing"); pcall(function() return ts[1]:get("f") end) end
`
	s, _, _ := load(t, "rec.lua", src, Options{Threads: 1})
	drive(t, s, 1, 1, nil)
	if err := s.Done(Result{}); err != nil {
		t.Fatal(err)
	}
	rec := s.ThreadValues()
	if len(rec) != 1 || string(rec[0]["n"]) != "7" || string(rec[0]["missing"]) != "null" || rec[0]["x"] != nil {
		t.Errorf("recorded %v; want n = 7 and missing = null only", rec)
	}
}
