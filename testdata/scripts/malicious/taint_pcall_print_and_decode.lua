-- pcall does not launder data: print through pcall and fields of a pcall-decoded body (WL501).

local cjson = require "cjson"

function response(status, headers, body)
   local ok, data = pcall(cjson.decode, body)
   if not ok then
      pcall(print, "undecodable body: " .. body) -- want WL501
      return
   end
   if data.user then
      print("user " .. tostring(data.user.email)) -- want WL501
   end
end
