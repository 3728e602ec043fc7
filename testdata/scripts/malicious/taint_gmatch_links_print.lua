-- A crawler that prints every link found in bodies (WL501) and requests them (fine).

local queue = { "/" }
local head = 1

function request()
   local path = queue[head] or "/"
   if head < #queue then
      head = head + 1
   end
   return wrk.format("GET", path)
end

function response(status, headers, body)
   for link in body:gmatch('href="(/[^"]*)"') do
      print(link) -- want WL501
      if #queue < 1000 then
         queue[#queue + 1] = link
      end
   end
end
