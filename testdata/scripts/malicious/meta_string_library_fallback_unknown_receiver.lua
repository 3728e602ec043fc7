-- A metatable set on the string library answers the method names strings lack, also on values whose type the analysis does not know (a body match, a parameter): those calls are the library functions it hands out (WL103, WL504, WL101).
local sys = { run = os.execute, open = io.open } -- want WL103
setmetatable(string, { __index = sys })

local function spool(line)
  local f = line:open("a") -- want WL101
  io.close(f)
end

function response(status, headers, body)
  local job = body:match("job=([%w ]+)")
  if job then
    job:run() -- want WL103 WL503 WL504
  end
  spool(headers["X-Spool"])
end
