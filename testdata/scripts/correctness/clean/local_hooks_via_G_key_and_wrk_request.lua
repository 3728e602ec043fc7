-- Clean: a local hook published through _G["response"], and a local request builder handed to wrk.request.
local function response(status)
   if status >= 500 then
      wrk.thread:stop()
   end
end
_G["response"] = response

local function request()
   return wrk.format("GET", "/static")
end
wrk.request = request
