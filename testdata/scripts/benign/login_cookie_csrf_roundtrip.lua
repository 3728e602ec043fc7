-- Login, then reuse the session cookie and CSRF token against the target.
local session, csrf
wrk.method = "POST"
wrk.body = "username=bench&password=" .. (os.getenv("BENCH_PASSWORD") or "") -- want WL201
function response(status, headers, body)
   if not session and headers["Set-Cookie"] then
      session = headers["Set-Cookie"]:match("^([^;]+)")
      csrf = body:match('name="csrf" value="([^"]+)"')
   end
end
function request()
   if session then
      return wrk.format("GET", "/account", { Cookie = session, ["X-CSRF-Token"] = csrf })
   end
   return wrk.format()
end
