-- wrk.lookup of a host taken from the script arguments, then a connect probe (WL701).

local probe = nil

function init(args)
   local host = args[1] or "localhost"
   local port = args[2] or "80"
   local found = wrk.lookup(host, port) -- want WL701
   if wrk.connect(found[1]) then -- want WL701
      probe = "reachable"
   end
   wrk.headers["X-Probe"] = probe or "unreachable"
end

function request()
   return wrk.format("GET", "/")
end
