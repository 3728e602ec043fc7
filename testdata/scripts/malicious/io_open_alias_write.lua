-- io.open reached through aliases: the alias itself is fine, the write-mode call is WL101.

local open = io.open
local fs = { open = io.open }
local o2 = open

local results = {}

function response(status, headers, body)
   results[#results + 1] = status
end

function done(summary, latency, requests)
   local f = open("statuses.log", "w") -- want WL101
   for _, s in ipairs(results) do f:write(s, "\n") end -- want WL803
   f:close()
   local g = fs.open("latency.log", "a") -- want WL101
   g:write(latency:percentile(99), "\n")
   g:close()
   local h = o2("previous.log") -- want WL102
   if h then h:close() end
end
