-- Code read from files is compiled and run (WL401 + WL504).

local f = io.open("hooks.lua", "r") -- want WL102
local src = f:read("*a")
f:close()

local hooks = loadstring(src) -- want WL401 WL504
if hooks then
   hooks()
end

for line in io.lines("plugins.txt") do -- want WL102
   dofile(line) -- want WL401 WL504
end
