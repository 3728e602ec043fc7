-- Quiet: per-thread body sizes, collected with thread:get and printed in done().

local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   bytes = 0
   largest = 0
end

function response(status, headers, body)
   local n = #body
   bytes = bytes + n
   if n > largest then
      largest = n
   end
end

function done(summary, latency, requests)
   for _, t in ipairs(threads) do
      print(string.format("thread %d: %d body bytes, largest %d", t:get("id"), t:get("bytes"), t:get("largest")))
   end
end
