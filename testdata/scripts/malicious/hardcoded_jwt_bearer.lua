-- Hard-coded JWTs in Authorization and a custom X-JWT-Token header (WL601).

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c" -- want WL601
wrk.headers["X-JWT-Token"] = "eyJhbGciOiJSUzI1NiJ9.eyJ1aWQiOjQyLCJyb2xlIjoiYWRtaW4iLCJleHAiOjE4OTM0NTYwMDB9.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk" -- want WL601

local counter = 0

function request()
   counter = counter + 1
   return wrk.format(nil, "/api/v2/accounts/" .. counter)
end

function response(status, headers, body)
   if status == 401 then
      wrk.thread:stop()
   end
end
