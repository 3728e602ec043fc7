-- Locals and parameters named like libraries are not the libraries.

local io = {
   open = function(path, mode) return nil end,
   popen = function(cmd) return nil end,
}
io.open("audit.log", "w")
io.popen("id")

local function run(os, cmd)
   return os.execute(cmd)
end
run({ execute = function(c) return true end }, "true")

local function require(name)
   return { name = name }
end
local sock = require("socket")
local http = require "socket.http"

for _, debug in ipairs({ false, true }) do
   if debug then wrk.headers["X-Debug"] = "1" end
end

function request()
   return wrk.format("GET", "/" .. sock.name .. "/" .. http.name)
end
