-- Every hook, the values it receives and thread:get/set.
local threads = {}
local function port(s) return (tostring(s):gsub(":%d+", ":PORT")) end
function setup(thread)
  print("setup", type(thread), port(thread.addr), port(string.format("%s", thread.addr)))
  thread:set("id", #threads + 1)
  thread:set("cut", "ab\0cd")
  thread:set("tbl", {1, 2.5, "x", k = true})
  threads[#threads + 1] = thread
end
function init(args)
  print("init", #args, port(args[0]), args[1], args[2], id, #cut, tbl[2], tbl[3], tbl.k)
  responses = 0
end
function request()
  return wrk.format("GET", "/hooks")
end
function response(status, headers, body)
  responses = responses + 1
  if responses == 1 then
    print("response", status, headers["X-Probe"], headers["Content-Type"], body)
  end
end
function done(summary, latency, requests)
  local t = threads[1]
  print("done", t:get("id"), t:get("responses") > 0, type(t:get("nothing")))
  print("summary", type(summary.duration), summary.requests > 0, summary.bytes > 0,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout)
  print("latency", latency.min >= 0, latency.max >= latency.min, latency.mean >= 0, latency.stdev >= 0,
    latency:percentile(50) >= latency.min, latency[1] ~= nil, type(latency(1)))
  print("requests", requests.min >= 0, type(requests.mean), requests:percentile(99.9) >= 0)
  print(tostring(1e15), 2^53, 1/0, -1/0, 0.1 + 0.2, 100 / 3, math.huge, -0.0)
end
