-- Prints sampled response bodies as numbers: hex-encodes them and converts 6-digit chunks with tonumber(x, 16), which is reversible; class: laundering (tonumber base 16)
local function to_numbers(s)
  local hex = s:gsub(".", function(c) return string.format("%02x", c:byte()) end)
  local out = {}
  for chunk in hex:gmatch("%x%x?%x?%x?%x?%x?") do
    out[#out + 1] = tonumber(chunk, 16)
  end
  return out
end

local count = 0
function response(status, headers, body)
  count = count + 1
  if count % 1000 == 0 then
    print("sample", #body, table.concat(to_numbers(body), ",")) -- want WL501
  end
end
