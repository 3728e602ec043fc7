-- Substrings and transformed bodies are still response data (WL501), methods called with ':'.

local shown = 0

function response(status, headers, body)
   if status ~= 200 and shown < 10 then
      shown = shown + 1
      print(body:sub(1, 100)) -- want WL501
      local first = body:match("^[^\n]*")
      io.write(first:upper(), "\n") -- want WL501
      print(("%d: %s"):format(status, body:gsub("%s+", " "))) -- want WL501
      print(#body:lower())
   end
end
