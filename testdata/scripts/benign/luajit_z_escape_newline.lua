-- A "\z" escape continuing a string over a line break: valid LuaJIT, decoded as LuaJIT does.

local function build(path)
   return wrk.format("GET", path)
end

local prefix = "/api/v1/\z
                reports"

function request()
   return build(prefix .. "?limit=" .. math.random(10, 100))
end
