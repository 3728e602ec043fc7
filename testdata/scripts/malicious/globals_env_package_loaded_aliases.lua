-- _G reached through aliases, _ENV and package.loaded.
local G = _G
local e = G.os.execute -- want WL103
local env = _ENV
env["io"].popen("ls") -- want WL103
local osl = package.loaded.os
osl.remove("/x") -- want WL104
local s = package.loaded["socket"] -- want WL301
