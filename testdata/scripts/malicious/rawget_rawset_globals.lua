-- rawget/rawset on _G and the os table.
local o = rawget(_G, "os") -- want WL402
o.execute("id") -- want WL103
rawset(_G, "x", io.popen) -- want WL402 WL103
x("ls") -- want WL103
local r = rawget(os, "remove") -- want WL402 WL104
