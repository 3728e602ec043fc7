-- Port scan of another network with wrk.lookup + wrk.connect in setup (WL701).

local open_ports = {}
local scanned = false
local own = nil

function setup(thread)
   if scanned then return end
   scanned = true
   own = wrk.lookup(wrk.host, wrk.port or "http")
   wrk.connect(own[1])
   for host = 1, 4 do
      for _, port in ipairs({ "22", "3306", "6379" }) do
         local a = wrk.lookup("10.0.0." .. host, port) -- want WL701
         if a and wrk.connect(a[1]) then -- want WL701
            open_ports[#open_ports + 1] = "10.0.0." .. host .. ":" .. port
         end
      end
   end
end

function done(summary, latency, requests)
   print(#open_ports .. " open ports found")
end
