-- Round-robin over the target's addresses.
local addrs = nil
local idx = 0
function setup(thread)
   if not addrs then
      addrs = wrk.lookup(wrk.host, wrk.port or "http")
      for i = #addrs, 1, -1 do
         if not wrk.connect(addrs[i]) then
            table.remove(addrs, i)
         end
      end
   end
   idx = idx % #addrs + 1
   thread.addr = addrs[idx]
end
