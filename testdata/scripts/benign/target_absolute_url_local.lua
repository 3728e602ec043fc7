-- Quiet: an absolute URL naming the local machine, or built from wrk.host, is the target itself.
local base = "http://" .. wrk.host .. ":" .. tostring(wrk.port or 80)
local n = 0

function request()
  n = n + 1
  if n % 3 == 0 then
    return wrk.format("GET", "http://localhost:8080/api/timeline?user=" .. n % 100)
  elseif n % 3 == 1 then
    return wrk.format("GET", "http://127.0.0.1:8080/health")
  end
  return wrk.format("GET", base .. "/items/" .. n % 500)
end
