package analyzer_test

import (
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/rules"
)

// TestImplicitFlowBoundaries pins the line between tests that reveal a
// piece of data and tests ordinary scripts make: each pair differs in
// the one thing the rule of thumb looks at.
func TestImplicitFlowBoundaries(t *testing.T) {
	t.Parallel()
	const tok = "local s = os.getenv('API_TOKEN')\n"
	const body = "function response(status, headers, s)\n%s\nend\n"
	tests := []struct {
		name, src string
		want      string // error-level rule IDs, space separated
	}{
		{"byte at a run-time index", tok + "local o = '' for i = 1, #s do for c = 0, 255 do if s:byte(i) == c then o = o .. c end end end print(o)", "WL502"},
		{"fixed byte against a constant", tok + "if s:byte(1) == 123 then print('json') end", ""},
		{"fixed prefix against a constant", tok + "if s:sub(1, 7) == 'Bearer ' then print('bearer') end", ""},
		{"fixed byte against candidates", tok + "for c = 0, 255 do if s:byte(1) == c then print(c) end end", "WL502"},
		{"whole secret against a constant", tok + "if s == 'changeme' then print('default token') end", ""},
		{"whole secret against candidates", tok + "for _, w in ipairs({'a1', 'b2', 'c3'}) do if s == w then print(w) end end", "WL502"},
		{"length of the whole", tok + "print(#s, string.rep('*', #s))", ""},
		{"length made from a byte", tok + "print(#string.rep('x', s:byte(1)))", "WL502"},
		{"hash folded into an accumulator", tok + "local h = 0 for i = 1, #s do h = (h * 31 + s:byte(i)) % 65536 end if h == 42 then print('match') end", ""},
		{"count raised by a tested branch", tok + "local n = 0 for c = 0, 255 do if s:byte(2) > c then n = n + 1 end end print(n)", "WL502"},
		{"break out of a tested branch", tok + "local n = 0 while true do if s:byte(1) == n then break end n = n + 1 end print(n)", "WL502"},
		{"return from a tested branch", tok + "local function f(c) if s:byte(1) == c then return end print(c) end for c = 0, 255 do f(c) end", "WL502"},
		{"fixed error in a tested branch", tok + "for i = 1, #s do if s:byte(i) < 32 then error('control character in API_TOKEN') end end", ""},
		{"error caught by pcall", tok + "for c = 0, 255 do if not pcall(function() if s:byte(1) == c then error('x') end end) then print(c) end end", "WL502"},
		{"non-secret environment", "local m = os.getenv('MODE')\nfor i = 1, #m do if m:byte(i) == 45 then print(i) end end", ""},
		{"body searched for constants", strings.Replace(body, "%s", "if s:find('error', 1, true) then print('error body') end", 1), ""},
		{"body lines from gmatch", strings.Replace(body, "%s", "for l in s:gmatch('[^\\n]+') do if l:find('WARN') then print('warn') end end", 1), ""},
		{"body characters from gmatch", strings.Replace(body, "%s", "local o = '' for ch in s:gmatch('.') do if ch == 'a' then o = o .. '1' else o = o .. '0' end end print(o)", 1), "WL501"},
		{"body bytes as lookup keys", strings.Replace(body, "%s", "local hex = {} for v = 0, 255 do hex[v] = v end local o = {} for i = 1, #s do o[i] = hex[s:byte(i)] end print(table.concat(o))", 1), "WL501"},
		{"body value as a counter key", strings.Replace(body, "%s", "local counts = {} local code = s:match('code=(%d+)') counts[code] = (counts[code] or 0) + 1 print(counts['200'])", 1), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, f := range analyzer.AnalyzeSource("t.lua", []byte(tt.src), rules.All(), nil) {
				if f.Level == analyzer.LevelError {
					got = append(got, f.RuleID)
				}
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("error findings %q, want %q\n%s", g, tt.want, tt.src)
			}
		})
	}
}
