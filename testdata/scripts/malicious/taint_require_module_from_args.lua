-- The module to load comes from the command line (WL401 for require of a variable, WL504).

local plugin

function init(args)
   local name = args[1] or "plugins.default"
   plugin = require(name) -- want WL401 WL504
   if plugin.init then
      plugin.init(args)
   end
end

function request()
   return plugin.request and plugin.request() or wrk.format("GET", "/")
end
