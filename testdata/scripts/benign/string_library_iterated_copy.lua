-- Copying the string library's functions into a local table by iteration, and iterating math for constants: pure members, nothing reaches outside.
local S = {}
for name, fn in pairs(string) do S[name] = fn end
local consts = {}
for k, v in pairs(math) do
  if type(v) == "number" then consts[k] = v end
end

request = function()
  local id = S.format("%06d", math.random(1, 999999))
  return wrk.format("GET", "/items/" .. S.lower(id) .. "?pi=" .. (consts.pi or 3))
end
