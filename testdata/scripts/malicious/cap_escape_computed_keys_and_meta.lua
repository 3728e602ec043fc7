-- WL403: capabilities stored under computed keys of library tables, or as the metatable of a value wrklint cannot see.
local name = wrk.method:lower()
package.loaded[name] = os -- want WL402 WL403
local m = require("post")
m.execute("id") -- want WL103

local cjson = require("cjson")
local thing = cjson.decode("{}")
setmetatable(thing, { __index = io }) -- want WL403
