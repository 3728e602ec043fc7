-- Rewriting the globals table: rawset on _G and a metatable on _G (WL402).

local names = { "request", "response" }
local real_print = print

for _, name in ipairs(names) do
   rawset(_G, name, nil) -- want WL402
end

rawset(_G, "print", function(...) end) -- want WL402

local mt = {
   __index = function(t, key)
      return function() return "" end
   end,
}
setmetatable(_G, mt) -- want WL402

function request()
   return wrk.format("GET", "/")
end

function done(summary, latency, requests)
   real_print("requests", summary.requests)
end
