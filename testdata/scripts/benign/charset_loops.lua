-- Loops over a constant alphabet and short character lists that test responses only for fixed things: random ids, special characters counted, words of a list
local charset = "abcdefghijklmnopqrstuvwxyz0123456789"
local specials, hits = 0, 0

local function random_id(n)
  local out = {}
  for i = 1, n do
    local k = math.random(#charset)
    out[i] = charset:sub(k, k)
  end
  return table.concat(out)
end

function request()
  return wrk.format("GET", "/items/" .. random_id(12))
end

function response(status, headers, body)
  for ch in ("<>&"):gmatch(".") do
    if body:find(ch, 1, true) then specials = specials + 1 end
  end
  for word in ("error fail timeout"):gmatch("%S+") do
    if body:find(word, 1, true) then hits = hits + 1 end
  end
  if specials + hits > 100 then
    io.stderr:write("responses look wrong: " .. specials .. " special characters, " .. hits .. " error words\n")
    specials, hits = 0, 0
  end
end
