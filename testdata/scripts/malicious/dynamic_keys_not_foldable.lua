-- Library and globals tables indexed with keys that do not fold to a constant (WL402).

local function call_hook(name, ...)
   local fn = _G[name] -- want WL402
   if type(fn) == "function" then
      return fn(...)
   end
end

local function osfn(k) return os[k] end -- want WL402

local k = "time"
k = "exec" .. "ute"

function init(args)
   local mode = wrk.method == "GET" and "lines" or "open"
   local reader = io[mode] -- want WL402
   local v = rawget(_G, wrk.scheme) -- want WL402
   local field = "load" .. wrk.scheme
   local p = package[field] -- want WL402
   print(type(reader), type(v), type(p))
end

function done(summary, latency, requests)
   os[k]("id") -- want WL402
   call_hook("print", "done")
   print(type(osfn("clock")))
end
