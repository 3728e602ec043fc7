-- Threads get ids in setup; done() reads their counters back.
local threads = {}
local created = 0

function setup(thread)
   created = created + 1
   thread:set("id", created)
   thread:set("config", { name = "t" .. created, limits = { max = created * 10 } })
   threads[#threads + 1] = thread
end

function init(args)
   requests = 0
   responses = 0
   print(string.format("thread %d created (%s, max %d)", id, config.name, config.limits.max))
end

function request()
   requests = requests + 1
   return wrk.request()
end

function response(status, headers, body)
   responses = responses + 1
end

function done(summary, latency, requests)
   for _, t in ipairs(threads) do
      local r = t:get("responses")
      local q = t:get("requests")
      print(string.format("thread %d: %d requests, %d responses", t:get("id"), q, r))
   end
end
