-- Splits a list of request paths the script holds, and reads a payload file under HOME: items and expanded paths that are no credentials files
local paths = {}
for p in ("/ /api/items /api/users?page=2"):gmatch("%S+") do
  paths[#paths + 1] = p
end
local home = os.getenv("HOME") or "/tmp" -- want WL201

local body = "{}"
local f = io.open((("~/bench/payload.json"):gsub("^~", home))) -- want WL102
if f then
  body = f:read("*a")
  f:close()
end

local n = 0
function request()
  n = n + 1
  return wrk.format("POST", paths[n % #paths + 1], {["Content-Type"] = "application/json"}, body)
end

function done(summary, latency, requests)
  ("p50 p90 p99"):gsub("%a(%d+)", function(q)
    io.write(string.format("p%s %.2f ms\n", q, latency:percentile(tonumber(q)) / 1000))
  end)
end
