-- Any use of the debug library is dynamic code (WL401), one finding per expression; debug.getinfo of another frame (level 2) included.

local function build()
   return wrk.format("GET", "/")
end

local ok, req = xpcall(build, debug.traceback) -- want WL401
local info = debug.getinfo(2, "S") -- want WL401
local d = debug -- want WL401

function init(args)
   d.sethook(function() end, "", 100000) -- want WL401
end

function request()
   return req
end

function done(summary, latency, requests)
   print(info.short_src, summary.requests)
   local _, up = debug.getupvalue(build, 1) -- want WL401
   print(type(up))
end
