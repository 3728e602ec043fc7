-- WL001: LuaJIT 64-bit integer literal 10ULL; valid LuaJIT, rejected by gopher-lua.

local max_requests = tonumber(10000ULL) -- want WL001
local sent = 0

function request()
   sent = sent + 1
   return wrk.format("GET", "/n/" .. sent)
end

function response(status, headers, body)
   if sent >= max_requests then wrk.thread:stop() end
end
