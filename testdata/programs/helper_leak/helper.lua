-- A helper module: leak prints what it is given, count only numbers.
local M = {}
local n = 0

function M.leak(x)
  print(x) -- want WL501
end

function M.count(status)
  n = n + 1
  print(status)
end

return M
