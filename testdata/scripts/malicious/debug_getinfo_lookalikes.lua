-- debug.getinfo forms that reach beyond the calling function stay WL401: another level, a function argument, the function itself (option f or the func field), the debug table aliased or passed.

local caller = debug.getinfo(2, "S").source -- want WL401
local fn = debug.getinfo(1, "f").func -- want WL401
local fn2 = debug.getinfo(1).func -- want WL401
local lines = debug.getinfo(1).activelines -- want WL401
local other = debug.getinfo(print, "S") -- want WL401
local level = tonumber(os.getenv("LEVEL")) or 1 -- want WL201
local dyn = debug.getinfo(level, "S") -- want WL401
local d = debug -- want WL401
local whole = debug.getinfo(1) -- want WL401

function init(args)
   local n, v = d.getlocal(2, 1) -- want WL401
   print(caller, fn, fn2, lines, other, dyn, whole, n, v)
end
