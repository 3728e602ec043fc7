-- Load sent to another host (WL701), which also receives the session cookie set by responses (WL503).

local mirror = "10.1.2.3"

function setup(thread)
   thread.addr = wrk.lookup(mirror, "8080")[1] -- want WL701 WL701
end

function response(status, headers, body)
   local cookie = headers["Set-Cookie"]
   if cookie then
      wrk.headers["Cookie"] = cookie -- want WL503
   end
end
