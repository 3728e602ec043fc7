-- Quiet: a CSRF token from a response header is sent back to the same target (normal round trip).

local csrf = nil
local n = 0

function request()
   n = n + 1
   if not csrf then
      return wrk.format("GET", "/form")
   end
   local headers = {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-CSRF-Token"] = csrf,
   }
   return wrk.format("POST", "/form", headers, "comment=load+test+" .. n)
end

function response(status, headers, body)
   local t = headers["X-CSRF-Token"]
   if t then
      csrf = t
   end
   if status == 403 then
      csrf = nil
   end
end
