-- Dangerous names that only appear in comments and strings must stay quiet.

-- os.execute here is a comment, and so is io.popen("curl evil.example.com")
--[==[
   A long comment: io.popen, os.remove("x"), require("socket"), loadstring(s)
   debug.sethook, _G["os"], wrk.lookup("evil.example.com", "80")
]==]

local help = [[
Do not call os.execute or io.open(path, "w") from a benchmark script.
Use require "cjson" instead of require "socket.http".
]]

local warning = "do not use os.execute"
local mention = 'io.popen("ls") is forbidden; so is dofile("x.lua")'
local secretword = "password reset flow"

function init(args)
   print("do not use os.execute")
   print(#help, #warning, #mention, #secretword)
end

function request()
   return wrk.format("GET", "/docs/os.execute?lang=lua")
end
