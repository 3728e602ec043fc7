-- gsub's second result counts the matches: counting candidates the script generates (each character) in a secret or a body tells what it holds, as find does (WL502, WL501).
local key = os.getenv("PRIVATE_KEY_B64") -- want WL201

function init(args)
  local histogram = {}
  for code = 43, 122 do
    local _, hits = key:gsub("%" .. string.char(code), "%0")
    histogram[#histogram + 1] = hits
  end
  print(table.concat(histogram, " ")) -- want WL502
end

function response(status, headers, body)
  local vowels = ""
  for _, v in ipairs({ "a", "e", "i", "o", "u" }) do
    local _, n = string.gsub(body, v, v)
    if n > 3 then vowels = vowels .. v end
  end
  local digits = 0
  for d = 0, 9 do
    local _, n = body:gsub(tostring(d), "")
    digits = digits + n
  end
  io.write(digits, "\n") -- want WL501
end
