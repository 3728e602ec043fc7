-- Calls hidden in coroutine.wrap, pcall and xpcall.
local co = coroutine.wrap(function(cmd) os.execute(cmd) end) -- want WL103
co("id")
pcall(os.execute, "id") -- want WL103
xpcall(io.popen, print, "ls") -- want WL103
local ok, h = pcall(io.open, "/tmp/out", "w") -- want WL101
local wrapped = function(...) return pcall(...) end -- want WL104
wrapped(os.remove, "/tmp/x") -- want WL104
