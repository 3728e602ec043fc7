-- os.remove, os.rename and os.tmpname mutate the filesystem (WL104), also via an alias.

local tmp = os.tmpname() -- want WL104
local rm = os.remove -- want WL104
local mv, cwd = os.rename, os.getenv("PWD") -- want WL104 WL201

function init(args)
   wrk.headers["X-Run-Dir"] = cwd or "."
end

function done(summary, latency, requests)
   os.rename("results.csv", "results.old.csv") -- want WL104
   os.remove(tmp) -- want WL104
   rm("wrk.pid") -- want WL104
   mv("a.json", "b.json") -- want WL104
   print("cleaned up after", summary.requests, "requests")
end
