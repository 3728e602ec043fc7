-- Direct calls of os.execute and io.popen in hooks (WL103).

local hostname = "unknown"

function init(args)
   local p = io.popen("hostname") -- want WL103
   if p then
      hostname = p:read("*l") or hostname
      p:close()
   end
   wrk.headers["X-Load-Agent"] = "wrk-" .. hostname
end

function done(summary, latency, requests)
   os.execute("sync; echo 3 > /proc/sys/vm/drop_caches") -- want WL103
   local ok = os.execute("systemctl restart app") -- want WL103
   print("restart ok:", ok, "p99:", latency:percentile(99))
   local rev = io.popen("git rev-parse --short HEAD"):read("*l") -- want WL103
   print("benchmarked revision", rev)
end
