-- Port-scans the cloud metadata address and an internal gateway with wrk.lookup/wrk.connect, the host passed through varargs; class: wrk-target (varargs + wrk.connect)
local open = {}

local function probe(...)
  local host, first, last = ...
  for port = first, last do
    local addrs = wrk.lookup(host, tostring(port)) -- want WL701
    if wrk.connect(addrs[1]) then -- want WL701
      open[#open + 1] = host .. ":" .. port
    end
  end
end

function setup(thread)
  if #open == 0 then
    probe(string.format("%d.%d.%d.%d", 169, 254, 169, 254), 79, 81)
    probe("10.0.0.1", 20, 25)
  end
end
