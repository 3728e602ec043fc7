-- A shadowing local only covers its own scope; outside it the real library is used.

do
   local os = { execute = function(cmd) return true end }
   os.execute("harmless")
end

local function fake(io)
   return io.popen("not the library")
end
fake({ popen = function() end })

local os = os
os.execute("id") -- want WL103

function done(summary, latency, requests)
   io.popen("uname -a") -- want WL103
   local io = { popen = print }
   io.popen("still shadowed here")
end
