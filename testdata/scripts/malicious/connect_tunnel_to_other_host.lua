-- CONNECT requests name a host:port that a target acting as a proxy opens a tunnel to: the load goes to that host (WL701), whichever way the request is built.
function init(args)
  wrk.method = "CONNECT"
  wrk.path = "cache.internal.example:6379" -- want WL701 "CONNECT request"
end

local hops = { "10.20.0.5:22", "10.20.0.6:22" }
local i = 0
request = function()
  i = i % #hops + 1
  if i == 1 then
    return wrk.format("connect", hops[i]) -- want WL701
  end
  return "CONNECT vault.internal.example:8200 HTTP/1.1\r\nHost: vault.internal.example:8200\r\n\r\n" -- want WL701
end
