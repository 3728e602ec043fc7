-- request() builds requests from a counter; the server sees three paths.
local n = 0
request = function()
  n = n + 1
  local body = n % 3 == 0 and "b" .. n % 2 or nil
  return wrk.format(n % 3 == 0 and "POST" or "GET", "/r" .. n % 3, {["X-Num"] = n % 3}, body and "data")
end
