-- Helpers added to the string library and a metatable on a script's own class: method calls on values of unknown type resolve to them, nothing else.
function string.trim(s)
  return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

local Counter = {}
Counter.__index = Counter
function Counter.new() return setmetatable({ n = 0 }, Counter) end
function Counter:add(k) self.n = self.n + 1 end

local seen = Counter.new()
function response(status, headers, body)
  local ct = headers["Content-Type"]
  if ct and ct:trim():lower():find("json", 1, true) then
    seen:add(ct)
  end
  local v = headers["X-Version"]
  if v then seen:add(v:upper()) end
end
