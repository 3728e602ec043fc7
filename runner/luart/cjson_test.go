package luart

import (
	"strings"
	"testing"
)

// TestCJSON checks encode and decode against lua-cjson 2.1's output and
// error messages.
func TestCJSON(t *testing.T) {
	tests := []struct {
		name, expr, want string
	}{
		{"scalars", `cjson.encode({1, "a", true, false, cjson.null, 0.5, -3})`, `[1,"a",true,false,null,0.5,-3]`},
		{"empty table is an object", `cjson.encode({})`, `{}`},
		{"empty table as array when configured", `(function() local c = cjson.new(); c.encode_empty_table_as_object(false); return c.encode({}) end)()`, `[]`},
		{"object", `cjson.encode({name = "wrk"})`, `{"name":"wrk"}`},
		{"numeric keys become strings", `cjson.encode({[1] = "a", x = 1})`, `{"1":"a","x":1}`},
		{"holes become null", `cjson.encode({1, nil, 3})`, `[1,null,3]`},
		{"nesting", `cjson.encode({a = {b = {1, {c = {}}}}})`, `{"a":{"b":[1,{"c":{}}]}}`},
		{"escapes", `cjson.encode("q\"b\\s/n\n\t\1\127é")`, `"q\"b\\s\/n\n\t\u0001\u007fé"`},
		{"precision 14", `cjson.encode({1/3, 1e20, 123456789012345, 100})`, `[0.33333333333333,1e+20,1.2345678901234e+14,100]`},
		{"decode round trip", `(function() local v = cjson.decode('{"a":[1,2,{"b":null}],"s":"x\\u00e9\\ud83d\\ude00","t":true}')
			return tostring(#v.a) .. v.s .. tostring(v.a[3].b == cjson.null) .. tostring(v.t) end)()`, "3xé😀truetrue"},
		{"decode numbers", `tostring(cjson.decode("[-1.5e3, 0, 7]")[1])`, "-1500"},
		{"decode scalar", `cjson.decode('"s"')`, "s"},
		{"safe decode error", `(function() local v, err = cjson_safe.decode("{bad}"); return tostring(v) .. "|" .. err end)()`,
			"nil|Expected object key string but found invalid token at character 2"},
		{"safe encode error", `(function() local v, err = cjson_safe.encode({f = print}); return tostring(v) .. "|" .. err end)()`,
			"nil|Cannot serialise function: type not supported"},
		{"decode error raises", `select(2, pcall(cjson.decode, "[1,2"))`, "Expected comma or array end but found T_END at character 5"},
		{"trailing garbage", `select(2, pcall(cjson.decode, "{} x"))`, "Expected the end but found invalid token at character 4"},
		{"sparse array", `select(2, pcall(cjson.encode, {[1] = 1, [100] = 2}))`, "Cannot serialise table: excessively sparse array"},
		{"bad key", `select(2, pcall(cjson.encode, {[true] = 1}))`, "Cannot serialise table: table key must be a number or string"},
		{"NaN", `select(2, pcall(cjson.encode, 0/0))`, "Cannot serialise number: must not be NaN or Inf"},
		{"deep nesting", `select(2, pcall(cjson.decode, string.rep("[", 1001)))`, "Found too many nested data structures (1001) at character 1001"},
		{"cycles", `(function() local t = {} t.t = t return select(2, pcall(cjson.encode, t)) end)()`, "Cannot serialise, excessive nesting (1001)"},
		{"null is shared", `tostring(cjson.null == cjson_safe.null) .. tostring(cjson.null)`, "trueuserdata: NULL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := `cjson = require("cjson") cjson_safe = require("cjson.safe") result = ` + tt.expr
			s, _, _ := load(t, "j.lua", src, Options{Threads: 1})
			if got := s.main.ls.GetGlobal("result").String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestCJSONRaises(t *testing.T) {
	_, err := New("j.lua", []byte(`local cjson = require "cjson"
cjson.decode("nope")`), Options{URL: "http://h/", Threads: 1})
	if err == nil || !strings.Contains(err.Error(), "Expected value but found invalid token at character 1") {
		t.Fatalf("err = %v", err)
	}
}
