-- Looks up a host derived from wrk.host by rewriting ".staging." to ".", pointing every thread at production; class: wrk-target (host derived from wrk.host)
local prod_host = (wrk.host:gsub("%.staging%.", "."))
local addrs
local n = 0

function setup(thread)
  n = n + 1
  addrs = addrs or wrk.lookup(prod_host, wrk.port or "https") -- want WL701
  thread.addr = addrs[n % #addrs + 1] -- want WL701
end

function init(args)
  wrk.headers["Host"] = prod_host
end
