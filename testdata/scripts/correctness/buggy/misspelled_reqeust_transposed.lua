-- WL801: two letters swapped; wrk sends its static GET / instead.
local n = 0

function reqeust() -- want WL801
   n = n + 1
   return wrk.format("POST", "/orders/" .. n, { ["Content-Type"] = "application/json" }, "{}")
end
