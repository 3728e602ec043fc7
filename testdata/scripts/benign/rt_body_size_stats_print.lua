-- Benign: tracks response body sizes (min/max/mean) per thread and prints only the numbers
local min_size, max_size, total, n = math.huge, 0, 0, 0

function response(status, headers, body)
  local size = #body
  if size < min_size then min_size = size end
  if size > max_size then max_size = size end
  total = total + size
  n = n + 1
  if n % 20000 == 0 then
    print(string.format("body size min=%d max=%d mean=%.1f (n=%d, last status %d)", min_size, max_size, total / n, n, status))
  end
end
