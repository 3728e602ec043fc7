-- os.execute/io.popen passed as values: pcall, gsub callbacks, conditional picks (WL103).

local verbose = #wrk.path > 1

local runner = verbose and os.execute or print -- want WL103

function setup(thread)
   thread:set("verbose", verbose)
end

function done(summary, latency, requests)
   local ok = pcall(os.execute, "id") -- want WL103
   local out = ("uptime"):gsub(".+", os.execute) -- want WL103
   local ok2, fh = xpcall(io.popen, print, "ls /tmp") -- want WL103
   if ok2 and fh then fh:close() end
   runner("echo finished") -- want WL103
   local execute = os["execute"] -- want WL103
   print(ok, out)
end
