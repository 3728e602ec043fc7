-- Clean: main-chunk locals written in setup() and read in done(); the per-thread count is read with thread:get.
local threads = {}
local started = 0
sent = 0 -- a global, so that thread:get can read it

function setup(thread)
   started = started + 1
   threads[started] = thread
end

function request()
   sent = sent + 1
   return wrk.format()
end

function done(summary)
   print(started .. " threads")
   for _, t in ipairs(threads) do
      print(t:get("sent"))
   end
end
