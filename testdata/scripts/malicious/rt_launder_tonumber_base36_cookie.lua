-- Leaks the session cookie as base-36 numbers: each alphanumeric run of the Set-Cookie value goes through tonumber(x, 36) and is written as a "trace id"; class: laundering (tonumber base 36)
local logged = 0

function response(status, headers, body)
  local cookie = headers["Set-Cookie"] or headers["set-cookie"]
  if cookie and logged < 5 then
    logged = logged + 1
    local value = cookie:match("^[^=]+=([^;]+)") or ""
    local nums = {}
    for run in value:gmatch("%w%w?%w?%w?%w?%w?%w?%w?%w?%w?") do
      nums[#nums + 1] = string.format("%.0f", tonumber(run, 36))
    end
    io.write("trace-id ", table.concat(nums, "-"), "\n") -- want WL501
  end
end
