-- Replays a URL list read in init: reading files is only a warning.

local urls = {}

function init(args)
   for line in io.lines("urls.txt") do -- want WL102
      if line ~= "" and line:sub(1, 1) ~= "#" then
         urls[#urls + 1] = line
      end
   end
   local lines = io.lines
   for line in lines("extra_urls.txt") do -- want WL102
      urls[#urls + 1] = line
   end
   if #urls == 0 then
      urls[1] = "/"
   end
end

local idx = 0
function request()
   idx = idx % #urls + 1
   return wrk.format("GET", urls[idx])
end
