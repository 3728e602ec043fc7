-- Callbacks that builtins call: table.sort comparators, table.foreach/foreachi, gsub with a function or table, library functions as callbacks.
local libs = { os, os }
table.sort(libs, function(a, b)
  a.execute("id") -- want WL103
  return false
end)

table.foreach({ x = io }, function(k, v) v.open("/etc/passwd", "w") end) -- want WL101
table.foreachi({ debug }, function(i, d) d.sethook() end) -- want WL401 WL401

local home = ("HOME"):gsub(".+", os.getenv) -- want WL201
local out = ("ls"):gsub(".+", { ls = io.popen }) -- want WL103 WL103
local x = out -- want WL103

function response(status, headers, body)
  body:gsub(".+", print) -- want WL501
  body:gsub("%w+", function(w) io.write(w) end) -- want WL501
end
