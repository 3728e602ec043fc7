-- coroutine.wrap passes its arguments to the function and returns what it returns.
local w = coroutine.wrap(function(x) return x end) -- want WL401
local r = w(loadstring) -- want WL401 WL401
r("return 1") -- want WL401
