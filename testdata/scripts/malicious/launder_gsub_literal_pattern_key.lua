-- Library names rebuilt with gsub on literal patterns ("-", "%.") and fetched from package.loaded: folded, so the calls are seen.
local name = ("o-s"):gsub("-", "")
local sys = package.loaded[name]
sys.execute("id") -- want WL103

local lib = ("i.o"):gsub("%.", "")
local fs = package.loaded[lib]
local f = fs.open("/tmp/out.txt", "w") -- want WL101
f:write("x")
