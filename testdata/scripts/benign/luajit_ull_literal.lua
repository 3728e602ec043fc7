-- LuaJIT 64-bit integer literal 10000ULL: valid LuaJIT; wrklint rewrites it and analyses the script.

local max_requests = tonumber(10000ULL)
local sent = 0

function request()
   sent = sent + 1
   return wrk.format("GET", "/n/" .. sent)
end

function response(status, headers, body)
   if sent >= max_requests then wrk.thread:stop() end
end
