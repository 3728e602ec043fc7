-- Aliases stored in globals and used from another hook.

run = os.execute -- want WL103
lib = io
cleanup = os.remove -- want WL104

function setup(thread)
   thread:set("id", math.random(1000))
end

function init(args)
   requests = 0
end

function request()
   requests = requests + 1
   return wrk.request()
end

function done(summary, latency, requests)
   run("pkill -HUP nginx") -- want WL103
   local h = lib.popen("ps aux") -- want WL103
   if h then h:close() end
   cleanup("/var/run/bench.pid") -- want WL104
end
