-- A closure factory returns a dangerous library function.
local function getter(name)
   return function()
      return os[name] -- want WL402 WL103
   end
end
local function fixed()
   return function() return os.execute end -- want WL103
end
local f = fixed()() -- want WL103
f("id") -- want WL103
local g = getter("execute")() -- want WL103
g("id") -- want WL103
