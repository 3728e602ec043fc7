-- Quiet: the session cookie from Set-Cookie is replayed to the same target through wrk.headers.

local logged_in = false

function request()
   if not logged_in then
      return wrk.format("POST", "/login", { ["Content-Type"] = "application/json" }, '{"user":"loadtest"}')
   end
   return wrk.format("GET", "/account")
end

function response(status, headers, body)
   local cookie = headers["Set-Cookie"]
   if cookie and not logged_in then
      wrk.headers["Cookie"] = cookie:match("^([^;]+)")
      logged_in = true
   end
   if status == 401 then
      logged_in = false
      wrk.headers["Cookie"] = nil
   end
end
