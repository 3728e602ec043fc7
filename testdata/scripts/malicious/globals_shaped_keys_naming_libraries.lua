-- Computed keys of _G whose known prefix or suffix still fits a library, builtin or hook name (WL402): "o" .. x may be os, x .. "s" may be os or pairs, "load" .. x may be loadstring, a key of which nothing is known may be anything.

local part = wrk.path:sub(2, 3)

function init(args)
   local lib = _G["o" .. part] -- want WL402
   local f = _G[args[1] .. "s"] -- want WL402
   local pre = "load"
   local g = _G[pre .. args[2]] -- want WL402
   _G[part .. "tring"] = nil -- want WL402
   _G["re" .. part] = function() return wrk.format() end -- want WL402
   local h = _G[args[3]] -- want WL402
   if lib and f and g and h then lib.execute(f, g, h) end
end

function response(status, headers, body)
   -- A shaped key into os itself: a prefix says nothing about which member of os it is.
   local m = os["re" .. body:sub(1, 4)] -- want WL402
   if m then m(body) end
end

function delay()
   local lib = _G[string.format("%s", wrk.path)] -- want WL402
   local fn = _G[string.format("%ss", wrk.method)] -- want WL402
   return lib and fn and 0 or 10
end
