package rules

import "testing"

// TestMaySink checks the filter sinkCalls applies before the sink
// functions: a path one of them accepts must pass it, and the library
// members scripts call most (which reach no sink) must not.
func TestMaySink(t *testing.T) {
	t.Parallel()
	sinks := map[string]sinkFunc{"output": outputSink, "exfil": exfilSink, "dns": dnsSink, "code": codeSink}
	paths := []string{
		"print", "error", "assert", "io.write", "io.read", "io.open", "io.lines", "io.popen", "io.output",
		"io.file:write", "io.file:read", "io.pfile:write", "io.stdout:write", "io.stderr:write", "io.stdin:read",
		"os.execute", "os.exit", "os.remove", "os.getenv", "os.date", "os.time",
		"load", "loadstring", "loadfile", "dofile", "require", "setfenv", "string.dump",
		"debug.sethook", "debug.getinfo", "ffi.C.system", "jit.off",
		"wrk.format", "wrk.lookup", "wrk.connect", "wrk.thread.set",
		"module:socket", "module:socket.http.request", "module:socket.dns.toip", "module:resty.http.new",
		"module:cjson.decode", "module:ltn12.sink.table", "module:lfs.dir",
		"string.format", "string.rep", "string.char", "string.gsub", "table.concat", "table.insert",
		"math.random", "math.floor", "tostring", "tonumber", "pairs", "ipairs", "pcall", "setmetatable",
		"coroutine.wrap", "bit.bxor", "_G", "unknown.member",
	}
	accepted := 0
	for _, p := range paths {
		for name, sink := range sinks {
			if desc, _ := sink(p); desc != "" {
				accepted++
				if !maySink(p) {
					t.Errorf("%s sink accepts %q (%s), but maySink does not", name, p, desc)
				}
			}
		}
	}
	if accepted < 10 {
		t.Errorf("the sinks accept only %d of the paths: the check above proves little", accepted)
	}
	for _, p := range []string{"string.format", "math.random", "table.insert", "wrk.format", "tostring"} {
		if maySink(p) {
			t.Errorf("maySink(%q): a call that reaches no sink is not filtered out", p)
		}
	}
}
