-- WL803: contents written through a local alias of the global table still live in the thread states.
stats = { ok = 0, slow = 0 }

function response(status, headers, body)
   local s = stats
   if status == 200 then
      s.ok = s.ok + 1
   end
   if #body > 10000 then
      s.slow = s.slow + 1
   end
end

function done()
   print(stats.ok, stats.slow) -- want WL803
end
