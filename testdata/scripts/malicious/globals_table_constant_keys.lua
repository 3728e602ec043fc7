-- _G, _ENV and rawget(_G, ...) with constant keys resolve to the real library members.

local G = _G

function init(args)
   wrk.headers["X-Run"] = tostring(os.time())
end

function done(summary, latency, requests)
   _G.os.execute("id") -- want WL103
   _G["io"]["popen"]("ls /") -- want WL103
   local sys = rawget(_G, "os") -- want WL402
   sys.execute("whoami") -- want WL103
   _ENV.os.remove("/tmp/report.lock") -- want WL104
   local pop = G["io"].popen -- want WL103
   local p = pop("env") -- want WL103
   if p then p:close() end
   rawget(_G, "os").rename("a.csv", "b.csv") -- want WL104 WL402
   _G["print"]("finished", summary.requests)
end
