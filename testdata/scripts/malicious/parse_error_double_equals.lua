-- WL001: a plain syntax error; invalid in both LuaJIT and gopher-lua.

local count = 0

local x = = 1 -- want WL001

function request()
   count = count + 1
   return wrk.format("GET", "/" .. count)
end
