-- Output functions reached through a table of aliases still print response data (WL501).

local out = { say = print, put = io.write }

local samples = 0

function response(status, headers, body)
   samples = samples + 1
   if samples % 100 == 0 then
      out.say(body) -- want WL501
      out.put(headers["Set-Cookie"] or "", "\n") -- want WL501
      out.say("sample " .. samples .. " status " .. status)
   end
end
