-- Clean: done() writes the global it reads, from thread:get, so it is not the initial value.
local threads = {}
total_errors = 0

function setup(thread)
   threads[#threads + 1] = thread
end

function response(status)
   if status >= 500 then total_errors = total_errors + 1 end
end

function done()
   local sum = 0
   for _, t in ipairs(threads) do
      sum = sum + t:get("total_errors")
   end
   total_errors = sum
   print("5xx: " .. total_errors)
end
