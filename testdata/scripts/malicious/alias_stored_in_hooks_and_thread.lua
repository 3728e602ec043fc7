-- Functions defined in hooks stored through globals and upvalues.
local runner
function init(args)
   runner = os.execute -- want WL103
end
function done()
   runner("id") -- want WL103
end
function setup(thread)
   thread:set("cb", io.popen) -- want WL103
end
