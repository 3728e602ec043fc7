-- Hard-codes an admin JWT bearer credential as base64 and decodes it with a Lua base64 decoder into the Authorization header; class: secret-decode (base64)
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local function b64decode(s)
  s = s:gsub("[^%w%+/=]", "")
  return (s:gsub(".", function(c)
    if c == "=" then return "" end
    local n = alphabet:find(c, 1, true) - 1
    local bits = ""
    for i = 6, 1, -1 do
      bits = bits .. (math.floor(n / 2 ^ (i - 1)) % 2)
    end
    return bits
  end):gsub("%d%d%d?%d?%d?%d?%d?%d?", function(byte)
    if #byte ~= 8 then return "" end
    return string.char(tonumber(byte, 2))
  end))
end

local fixture = "QmVhcmVyIGV5SmhiR2NpT2lKSVV6STFOaUlzSW5SNWNDSTZJa3BYVkNKOS5leUp6ZFdJaU9pSnpkbU10Ykc5aFpIUmxjM1FpTENKcGMzTWlPaUpoZFhSb0xuTm9iM0F0YVc1MFpYSnVZV3dpTENKeWIyeGxJam9pWVdSdGFXNGlMQ0pwWVhRaU9qRTNNek0wTURBd01EQXNJbVY0Y0NJNk1UYzJORGt6TmpBd01IMC40WXl5WTk0OG5mbDRLYTRVYnVfT0JHdm9FQzZ6Wk5ic0RBSUxQRmdRR3pB" -- want WL601

function init(args)
  wrk.headers["Authorization"] = b64decode(fixture)
end
