-- Benign: the plain configuration scripts use, wrk fields copied from a literal table without host or port.
wrk.scheme = "http"
wrk.host = "localhost"
wrk.port = 8080
local defaults = { method = "POST", body = '{"q":"shoes"}' }
for k, v in pairs(defaults) do
  wrk[k] = v
end
wrk.headers["Content-Type"] = "application/json"
local addrs = nil

function setup(thread)
  thread:set("id", 1)
end
