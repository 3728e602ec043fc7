-- Network modules reached through package.loaded and package.preload (WL301).

local socket = package.loaded["socket"] or require("socket") -- want WL301 WL301
local loader = package.preload.socket -- want WL301
local h = package.loaded.http -- want WL301
local cj = package.loaded["cjson"]

local sent = 0

function request()
   sent = sent + 1
   return wrk.format("GET", "/poll?n=" .. sent)
end

function done(summary, latency, requests)
   print(type(socket), type(loader), type(h), type(cj))
end
