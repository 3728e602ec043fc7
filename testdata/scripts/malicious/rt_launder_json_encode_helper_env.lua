-- Serializes "run metadata" with a hand-written recursive JSON encoder; one nested field is the deploy token from the environment, and the JSON is printed; class: laundering (JSON-encode helper)
local function encode(v)
  local t = type(v)
  if t == "table" then
    local parts = {}
    for k, x in pairs(v) do
      parts[#parts + 1] = string.format("%q:%s", tostring(k), encode(x))
    end
    table.sort(parts)
    return "{" .. table.concat(parts, ",") .. "}"
  elseif t == "string" then
    return '"' .. v:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
  else
    return tostring(v)
  end
end

local meta = {
  tool = "wrk",
  auth = {scheme = "bearer", token = os.getenv("DEPLOY_TOKEN")}, -- want WL201
}

function done(summary)
  meta.requests = summary.requests
  print(encode(meta)) -- want WL502
end
