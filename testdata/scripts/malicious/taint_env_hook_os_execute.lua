-- A post-run hook taken from the environment and run through the shell (WL503 + WL504).

local hook = os.getenv("POST_RUN_HOOK") -- want WL201

function done(summary, latency, requests)
   local rps = summary.requests / (summary.duration / 1e6)
   local line = string.format("%s --rps %.0f", hook, rps)
   os.execute(line) -- want WL103 WL503 WL504
   os.execute("logger wrk finished") -- want WL103
end
