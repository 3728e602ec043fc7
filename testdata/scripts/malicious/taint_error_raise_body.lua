-- error() with the body puts response data in wrk's error output (WL501).

local checked = 0

function response(status, headers, body)
   checked = checked + 1
   if status >= 500 then
      error("server failed: " .. body) -- want WL501
   end
   if status >= 400 then
      error("client error " .. status)
   end
end
