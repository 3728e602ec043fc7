-- Credentials the script builds from character codes and hands to wrk: a password header, and a form body judged whole
local pw = string.char(80, 57, 120, 33, 118, 82, 51, 107, 64, 76, 109, 55, 81, 122, 50, 119)
wrk.headers["X-Password"] = pw -- want WL601
wrk.method = "POST"
wrk.body = "username=svc-loadtest&password=" .. string.char(113, 87, 51, 114, 116, 121, 33, 57, 88, 107) .. "&grant_type=password" -- want WL601
