-- setfenv gives a function a library as its globals: bare names inside it are that library's functions (WL101, WL503 where data reaches them), besides WL401 for setfenv itself and WL403 for the library handed to it.
local function save(path, data)
  local f = open(path, "a") -- want WL101
  f:write(data) -- want WL501
  f:close()
end
setfenv(save, io) -- want WL401 WL403

local function tidy()
  setfenv(1, os) -- want WL401 WL403
  remove("/var/log/wrk-run.log") -- want WL104
end

function response(status, headers, body)
  save("/tmp/bodies.log", body)
  tidy()
end
