-- String operations keep response data tainted (WL501); len() and # do not.

local seen = 0

function response(status, headers, body)
   seen = seen + 1
   if seen ~= 1 then
      return
   end
   local rev = body:reverse()
   print(rev) -- want WL501
   print(string.byte(body, 1, 8)) -- want WL501
   print(string.rep(headers["X-Auth-Token"] or "", 2, ",")) -- want WL501
   print(tostring(body):len())
   local parts = { "first", body }
   print(table.concat(parts, "|")) -- want WL501
   print(string.format("%q", body:lower())) -- want WL501
end
