-- Native code: the ffi module and package.loadlib (WL301), also referenced without a call.

local ffi = require("ffi") -- want WL301
ffi.cdef[[
int getpid(void);
int system(const char *command);
]]

local loadlib = package.loadlib -- want WL301
local opener = package.loadlib("./libbench.so", "luaopen_bench") -- want WL301

function init(args)
   wrk.headers["X-Pid"] = tostring(ffi.C.getpid())
end

function done(summary, latency, requests)
   local f = loadlib("./libreport.so", "luaopen_report") -- want WL301
   if f then f() end
   if opener then opener() end
end
