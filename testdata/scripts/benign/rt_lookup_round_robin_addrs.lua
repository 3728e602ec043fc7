-- Benign: spreads threads round-robin over the reachable addresses of the target host
local addrs = {}
local next_index = 1

for _, addr in ipairs(wrk.lookup(wrk.host, wrk.port or "http")) do
  if wrk.connect(addr) then
    addrs[#addrs + 1] = addr
  end
end

function setup(thread)
  if #addrs > 0 then
    thread.addr = addrs[next_index]
    next_index = next_index % #addrs + 1
  end
end
