-- The environment read as a file (/proc/self/environ, /proc/<pid>/environ) is environment data: secrets printed from it are WL502.
local f = io.open("/proc/self/environ", "r") -- want WL102
local all = f:read("*a")
for kv in all:gmatch("[^%z]+") do
  if kv:find("SECRET", 1, true) then print(kv) end -- want WL502
end

local pid = tostring(math.random(2, 99999))
for line in io.lines("/proc/" .. pid .. "/environ") do -- want WL102
  io.stderr:write(line) -- want WL502
end
