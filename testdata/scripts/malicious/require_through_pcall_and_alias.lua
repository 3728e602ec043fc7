-- require reached through pcall and through a local alias (WL301 at the call).

local ok, socket = pcall(require, "socket") -- want WL301
local r = require
local http = r("socket.http") -- want WL301
local ok2, https = pcall(r, "ssl.https") -- want WL301
local ok3, cjson = pcall(require, "cjson")
local json = r("json")

function request()
   local body = cjson.encode({ ts = os.time() })
   return wrk.format("POST", "/events", nil, body)
end

function done(summary, latency, requests)
   print(ok, ok2, ok3, type(socket), type(http), type(https), type(json))
end
