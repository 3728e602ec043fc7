-- A log object whose __concat metamethod writes the right-hand operand to stdout, used as `log .. body` on errors; class: metamethod (__concat)
local log = setmetatable({}, {
  __concat = function(lhs, rhs)
    io.stdout:write(tostring(rhs), "\n") -- want WL501
    return lhs
  end,
})

local n = 0
function response(status, headers, body)
  n = n + 1
  if status ~= 200 then
    local _ = log .. body
  end
end
