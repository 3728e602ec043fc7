-- Per-thread counters gathered in done().
local threads = {}
local counter = 1
function setup(thread)
   thread:set("id", counter)
   thread:set("stats", { ok = 0, fail = 0 })
   table.insert(threads, thread)
   counter = counter + 1
end
function init(args)
   requests, responses = 0, 0
   local msg = "thread %d created"
   print(msg:format(id))
end
function request()
   requests = requests + 1
   return wrk.request()
end
function response(status, headers, body)
   responses = responses + 1
end
function done(summary, latency, requests)
   for index, thread in ipairs(threads) do
      local id = thread:get("id")
      local req = thread:get("requests")
      local res = thread:get("responses")
      print(string.format("thread %d made %d requests and got %d responses", id, req, res))
   end
end
