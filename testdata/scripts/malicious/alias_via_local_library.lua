-- The library table itself aliased through locals, several levels deep.

local o = os
local sys = o
local lib = sys
local shell = lib.execute -- want WL103

local i_o = io
local popen = i_o.popen -- want WL103

local counter = 0

function request()
   counter = counter + 1
   return wrk.format("GET", "/ping/" .. counter)
end

function done(summary, latency, requests)
   o.execute("id") -- want WL103
   shell("whoami") -- want WL103
   local fh = popen("uname -a") -- want WL103
   if fh then fh:close() end
   sys.remove("/tmp/wrk.lock") -- want WL104
end
