-- Turns error bodies into byte arrays with string.byte (a "checksum") and rebuilds them with string.char(unpack()) before writing them to stderr; class: laundering (byte/char round trip)
local function body_bytes(s)
  return {s:byte(1, math.min(#s, 4000))}
end

function response(status, headers, body)
  if status ~= 200 then
    local bytes = body_bytes(body)
    local sum = 0
    for i = 1, #bytes do sum = (sum + bytes[i]) % 65536 end
    io.stderr:write(string.format("non-200 sum=%d ", sum), string.char(unpack(bytes)), "\n") -- want WL501
  end
end
