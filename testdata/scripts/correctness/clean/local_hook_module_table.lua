-- Clean: a module that builds hooks as locals and returns them for a loader script.
local M = {}

local function init(args)
   M.base = args[1] or "/"
end

local function request()
   return wrk.format("GET", M.base)
end

return { init = init, request = request }
