-- Benign: a counter table with a metatable that defaults missing keys to zero, summarised every 5000 responses
local counts = setmetatable({}, {__index = function() return 0 end})
local seen = 0

local function bucket(status)
  if status < 300 then return "2xx" end
  if status < 400 then return "3xx" end
  if status < 500 then return "4xx" end
  return "5xx"
end

function response(status, headers, body)
  local b = bucket(status)
  counts[b] = counts[b] + 1
  seen = seen + 1
  if seen % 5000 == 0 then
    print(string.format("2xx=%d 3xx=%d 4xx=%d 5xx=%d", counts["2xx"], counts["3xx"], counts["4xx"], counts["5xx"]))
  end
end
