-- Aliases kept in table fields, nested tables and constructors.

local t = { x = os.execute } -- want WL103
local util = {}
util.sh = io.popen -- want WL103
local cfg = { hooks = { after = os.execute } } -- want WL103
local m = { fs = { del = os.remove } } -- want WL104

wrk.method = "POST"
wrk.body = "ping"

function done(summary, latency, requests)
   t.x("touch /tmp/pwned") -- want WL103
   local f = util.sh("cat /etc/hostname") -- want WL103
   if f then f:close() end
   cfg.hooks.after("echo done") -- want WL103
   m.fs.del("/tmp/pwned") -- want WL104
   print("requests", summary.requests)
end
