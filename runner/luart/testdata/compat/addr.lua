-- Pick one resolved, connectable address of the target per thread.
local candidates = {}

function setup(thread)
   if #candidates == 0 then
      for _, a in ipairs(wrk.lookup(wrk.host, wrk.port or "http")) do
         if wrk.connect(a) then
            candidates[#candidates + 1] = a
         end
      end
   end
   thread.addr = candidates[math.random(#candidates)]
end

function init(args)
   print("thread addr: " .. tostring(wrk.thread.addr))
end
