-- Passwords with literal values in form and JSON bodies and in a query string (WL601).

local form = "username=admin&password=hunter2" -- want WL601
local json_login = '{"username":"loadtest","password":"S3cr3t!"}' -- want WL601
local legacy = "/login.php?user=bob&password=Winter2024" -- want WL601

local i = 0

function request()
   i = i + 1
   local k = i % 3
   if k == 0 then
      return wrk.format("POST", "/login", { ["Content-Type"] = "application/x-www-form-urlencoded" }, form)
   elseif k == 1 then
      return wrk.format("POST", "/api/login", { ["Content-Type"] = "application/json" }, json_login)
   end
   return wrk.format("GET", legacy)
end

function response(status, headers, body)
   if status == 429 then
      wrk.thread:stop()
   end
end
