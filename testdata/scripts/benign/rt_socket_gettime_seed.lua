-- Benign: LuaSocket is loaded only for socket.gettime(), used to seed math.random with sub-second precision
local socket = require("socket")

math.randomseed(math.floor(socket.gettime() * 1000) % 2147483647)

local users = 50000

function request()
  local id = math.random(users)
  return wrk.format("GET", "/api/users/" .. id .. "/feed")
end
