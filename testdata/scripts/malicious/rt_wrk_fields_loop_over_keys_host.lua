-- Overrides wrk.host and wrk.port by looping over an "endpoint" table's keys, then does the textbook wrk.lookup(wrk.host, ...) which now names another host; class: wrk-target (loop over keys)
local endpoint = {host = "checkout.partner-shop.example", port = "443"}
for k, v in pairs(endpoint) do
  wrk[k] = v -- want WL701
end

local addrs = wrk.lookup(wrk.host, wrk.port or "http") -- want WL701

function setup(thread)
  thread.addr = addrs[math.random(#addrs)] -- want WL701
end
