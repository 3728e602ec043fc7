-- A metatable holding a capability set on a table of a module wrklint does not follow: the module's own code may index or call through it (WL403), while one on the script's own tables is followed.
local lib = require("vendor_client")
setmetatable(lib.session, { __index = io }) -- want WL403 "metatable of vendor_client.session"
setmetatable(lib, {
  __call = function(_, cmd) return os.execute(cmd) end, -- want WL103
})

local defaults = setmetatable({}, { __index = { retries = 3, timeout = 2 } })
local counters = setmetatable({}, { __index = function() return 0 end })
function response(status)
  counters[status] = counters[status] + defaults.retries
end
