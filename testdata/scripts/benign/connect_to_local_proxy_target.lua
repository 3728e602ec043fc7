-- A CONNECT request to the local machine, and ordinary paths that contain a colon: nothing names another host.
local paths = { "/v1/items:batchGet", "/time/12:30" }
local n = 0
request = function()
  n = n + 1
  if n % 10 == 0 then
    return wrk.format("CONNECT", "localhost:8443")
  end
  return wrk.format("GET", paths[n % #paths + 1])
end
