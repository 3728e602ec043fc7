-- wrk.lookup of wrk.host through a local copy of wrk.host, then wrk.connect health checks.

local host = wrk.host
local port = wrk.port or (wrk.scheme == "https" and "443" or "80")
local found = nil
local picked = 0

function setup(thread)
   if not found then
      found = wrk.lookup(host, port)
      for _, a in ipairs(found) do
         if not wrk.connect(a) then
            io.stderr:write("unreachable: ", tostring(a), "\n")
         end
      end
   end
   picked = picked % #found + 1
   thread.addr = found[picked]
end
