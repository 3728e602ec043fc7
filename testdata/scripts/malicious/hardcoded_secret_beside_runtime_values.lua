-- A credential the script assembles itself, sent beside values that change on every request (a timestamp, a random id), or handed to the threads with thread:set and read there as a global (WL601).
local parts = { "Zk3pQ9", "ghp_", "Lm2Rt7", "Xw8Ys1Vn4Bc6Hj5Kd0Fg", "AaBb" }
local order = { 2, 1, 3, 4, 5 }
local function join()
  local t = {}
  for i = 1, #order do t[i] = parts[order[i]] end
  return table.concat(t)
end
local token = join()

-- Shifted characters decoded in setup() and sent to each thread under a name.
local shifted = "tl`mjwf`62I{Lr:XnS5yO9wU3cZ8dRf7Mq3Xt"
function setup(thread)
  local key = shifted:gsub(".", function(c) return string.char(c:byte() - 1) end)
  thread:set("stripe_key", key) -- want WL601
end

local n = 0
function request()
  n = n + 1
  local path = "/repos?page=" .. math.random(1, 50) .. "&access_token=" .. token .. "&ts=" .. os.time()
  wrk.headers["Authorization"] = "Bearer " .. stripe_key -- want WL601
  return wrk.format("GET", path, { ["X-Request-Id"] = tostring(os.time()) .. "-" .. n }) -- want WL601
end
