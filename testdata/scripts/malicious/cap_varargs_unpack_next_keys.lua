-- Capabilities through vararg positions, {...}, unpack with a start index, "for k, v in next, t", table keys, table.insert at a position.
local function pick(...) local _, lib = ... return lib end
pick(1, os).execute("id") -- want WL103

local function second(...) local t = {...} return t[2] end
second(1, io).popen("ls") -- want WL103

local a = unpack({ math, os }, 2)
a.execute("id") -- want WL103

for k, v in next, os do -- want WL402
  if k == "remove" then v("/tmp/x") end -- want WL103 WL104 WL201
end

local keys = {}
keys[debug] = "x" -- want WL401
for lib in pairs(keys) do lib.sethook() end -- want WL401

local t = {}
table.insert(t, 1, os)
local first = table.remove(t, 1)
first.rename("/a", "/b") -- want WL104

function response(status, headers, body)
  local bytes = {}
  for i = 1, #body do bytes[i] = string.byte(body, i) end
  io.write(string.char(unpack(bytes))) -- want WL501
end
