-- Library functions laundered through varargs and select.
local function pick(...)
   return select(2, ...) -- want WL103 WL103
end
local function first(...)
   local a = ... -- want WL103
   return a -- want WL103
end
local run = pick(print, os.execute, 1) -- want WL103 WL103
run("id") -- want WL103
local t = {...}
local x = first(io.popen) -- want WL103 WL103
x("ls") -- want WL103
local n = select('#', os.remove, 2) -- want WL104
local function pass(...) return ... end -- want WL104
local rm = pass(os.remove) -- want WL104 WL104
rm("/etc/x") -- want WL104
