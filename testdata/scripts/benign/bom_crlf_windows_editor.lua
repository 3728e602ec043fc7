-- Saved by a Windows editor: UTF-8 byte order mark and CRLF line endings, as wrk accepts.
local token = os.getenv("BENCH_TOKEN") -- want WL201
wrk.headers["Authorization"] = "Bearer " .. (token or "")

function request()
  return wrk.format("GET", "/items?n=" .. math.random(1, 100))
end
