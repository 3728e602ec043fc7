-- WL001: a "\z" escape continuing a string over a line break; valid LuaJIT, but gopher-lua
-- sees an unterminated string; wrklint reports it where the string starts (line 8).

local function build(path)
   return wrk.format("GET", path)
end

local prefix = "/api/v1/\z
                reports" -- want@-1 WL001

function request()
   return build(prefix .. "?limit=" .. math.random(10, 100))
end
