package luart

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/internal/audit"
	"github.com/wrklint/wrklint/internal/redact"
	"github.com/wrklint/wrklint/internal/testutil"
	"github.com/wrklint/wrklint/runner"
)

const testSecret = "s3cr3t-Value-0042"

// runDefended loads src with redaction on (or off), runs init, one
// response with a Set-Cookie header and done(), and returns stdout+stderr,
// the warnings and the error of the first failing step.
func runDefended(t *testing.T, src string, redacting bool, log *audit.Log) (string, string, error) {
	t.Helper()
	var stderr testutil.SyncBuffer
	opts := Options{
		Threads: 1, Stderr: &stderr, Audit: log,
		Headers: []runner.Header{{Name: "Authorization", Value: "Bearer hdr-token-123456"}},
		Policy:  config.Policy{Env: []string{"API_TOKEN", "BENCH_RATE"}},
	}
	if redacting {
		opts.Secrets = redact.NewSet()
	}
	s, out, warn := load(t, "defense.lua", src, opts)
	err := func() error {
		th, err := s.NewThread(0)
		if err != nil {
			return err
		}
		if s.Caps().Request {
			if _, err := th.Request(nil); err != nil {
				return err
			}
		}
		r := &runner.Response{Status: 200, Body: []byte("ok"), Headers: []runner.HeaderField{
			{Name: []byte("Set-Cookie"), Value: []byte("sid=c00kie-from-server; Path=/; HttpOnly")},
			{Name: []byte("Content-Type"), Value: []byte("text/plain")},
		}}
		if err := th.Response(r); err != nil {
			return err
		}
		return s.Done(Result{})
	}()
	s.Close() // flushes what the redactors hold
	return out.String() + stderr.String(), warn.String(), err
}

func TestRedaction(t *testing.T) {
	t.Setenv("API_TOKEN", testSecret)
	t.Setenv("BENCH_RATE", "rate-100000")
	tests := []struct {
		name   string
		src    string
		secret string // must not appear with redaction, must without
		kept   string // must appear either way
	}{
		{"print of a secret env value", `local tok = os.getenv("API_TOKEN")
function init() print("token=" .. tok) end`, testSecret, "token="},
		{"io.write split in pieces", `local tok = os.getenv("API_TOKEN")
function init() io.write("t=", tok:sub(1, 5)) io.write(tok:sub(6), " end\n") end`, testSecret[5:], "t="},
		{"io.stderr and io.stdout", `local tok = os.getenv("API_TOKEN")
function init() io.stderr:write(tok, "\n") io.stdout:write("[", tok, "]\n") end`, testSecret, "["},
		{"error message", `local tok = os.getenv("API_TOKEN")
function init() error("bad token " .. tok) end`, testSecret, ""},
		{"done() report", `local tok = os.getenv("API_TOKEN")
function done() print("done with " .. tok) end`, testSecret, "done with"},
		{"-H header value", `function init() print(wrk.headers["Authorization"]) print(wrk.headers["Authorization"]:sub(8)) end`, "hdr-token-123456", ""},
		{"wrk.format header", `function request()
  local r = wrk.format("GET", "/", {["X-Auth-Token"] = "fmt-token-987654"})
  print("sent fmt-token-987654")
  return r
end`, "fmt-token-987654", "sent"},
		{"received Set-Cookie", `function response(status, headers, body)
  local c = headers["Set-Cookie"]
  print("cookie " .. c:match("sid=([^;]+)"))
end`, "c00kie-from-server", "cookie"},
		{"headers seen by pairs", `function response(status, headers)
  for k, v in pairs(headers) do if k == "Set-Cookie" then print(v) end end
end`, "c00kie-from-server", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := runDefended(t, tt.src, true, nil)
			if err != nil {
				out += err.Error()
			}
			if strings.Contains(out, tt.secret) || !strings.Contains(out, redact.Mask) || !strings.Contains(out, tt.kept) {
				t.Errorf("with redaction: %q (secret %q must be masked)", out, tt.secret)
			}
			out, _, err = runDefended(t, tt.src, false, nil)
			if err != nil {
				out += err.Error()
			}
			if !strings.Contains(out, tt.secret) {
				t.Errorf("without redaction the test shows nothing: %q", out)
			}
		})
	}
}

// Values that are not secrets stay readable: a non-secret env name, short
// values, ordinary headers.
func TestRedactionLeavesOrdinaryOutput(t *testing.T) {
	t.Setenv("API_TOKEN", "abc") // too short to be masked (redact.MinLen)
	t.Setenv("BENCH_RATE", "rate-100000")
	out, _, err := runDefended(t, `function init()
  print(os.getenv("BENCH_RATE"), os.getenv("API_TOKEN"))
end
function response(status, headers) print(status, headers["Content-Type"]) end`, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out != "rate-100000\tabc\n200\ttext/plain\n" {
		t.Errorf("output %q", out)
	}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func TestAuditEvents(t *testing.T) {
	t.Setenv("API_TOKEN", testSecret)
	var buf strings.Builder
	log := audit.New(nopCloser{&buf})
	_, warn, err := runDefended(t, `local tok = os.getenv("API_TOKEN")
local home = os.getenv("HOME")
local f = io.open("/etc/passwd")
local cjson = require("cjson")
function init() print(tok) end
function response() pcall(require, "socket.http") end`, true, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(warn, `os.getenv("HOME") denied`) {
		t.Errorf("warnings %q", warn)
	}
	type key struct {
		kind, hook, at, what string
		thread               int
		allowed              any
	}
	var got []key
	sc := bufio.NewScanner(strings.NewReader(buf.String()))
	for sc.Scan() {
		if strings.Contains(sc.Text(), testSecret) {
			t.Errorf("the audit log holds the secret: %s", sc.Text())
		}
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if e["time"] == nil {
			t.Errorf("no time: %v", e)
		}
		what, _ := e["name"].(string)
		if p, ok := e["path"].(string); ok {
			what = p + " " + e["mode"].(string)
		}
		if c, ok := e["count"].(float64); ok {
			what = "count " + string(rune('0'+int(c)))
		}
		th, _ := e["thread"].(float64)
		got = append(got, key{e["event"].(string), e["hook"].(string), e["at"].(string), what, int(th), e["allowed"]})
	}
	// The top level runs in the main state (thread 0), then in thread 1's.
	want := []key{
		{"env", "top level", "defense.lua:1", "API_TOKEN", 0, true},
		{"env", "top level", "defense.lua:2", "HOME", 0, false},
		{"file", "top level", "defense.lua:3", "/etc/passwd r", 0, false},
		{"module", "top level", "defense.lua:4", "cjson", 0, true},
		{"env", "top level", "defense.lua:1", "API_TOKEN", 1, true},
		{"env", "top level", "defense.lua:2", "HOME", 1, false},
		{"file", "top level", "defense.lua:3", "/etc/passwd r", 1, false},
		{"module", "top level", "defense.lua:4", "cjson", 1, true},
		{"redaction", "init()", "defense.lua:5", "count 1", 1, nil},
		{"module", "response()", "defense.lua:6", "socket.http", 1, false},
	}
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d:\n%s", len(got), len(want), buf.String())
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
