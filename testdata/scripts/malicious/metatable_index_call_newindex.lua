-- Metatables with __index, __call and __newindex hide calls.
local proxy = setmetatable({}, { __index = os })
proxy.execute("id") -- want WL103
local callable = setmetatable({}, { __call = function(_, c) return io.popen(c) end }) -- want WL103
callable("ls")
local sink = setmetatable({}, { __newindex = function(t, k, v) os.execute(v) end }) -- want WL103
sink.x = "id"
local lazy = setmetatable({}, { __index = function(t, k) return os[k] end }) -- want WL402 WL104
lazy.remove("/tmp/x") -- want WL104
