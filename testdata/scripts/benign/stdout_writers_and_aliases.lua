-- Writing to stdout/stderr is not a file write, also through global and table-field aliases.

emit = io.write
local out = io.stdout
local log = { p = print, err = io.stderr }
t = { p = print }

local codes = {}

function response(status, headers, body)
   codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
   emit("status code summary\n")
   io.stdout:write("requests: ", summary.requests, "\n")
   out:write("bytes: ", summary.bytes, "\n")
   log.err:write("timeouts: ", summary.errors.timeout, "\n")
   log.p("p99 (us):", latency:percentile(99))
   t.p("done")
   io.stderr:write("finished\n")
   io.write("ok\n")
end
