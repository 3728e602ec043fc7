-- Hard-codes a Stripe key as text over an alphabet rotated by a shift taken from os.date("!%Y", 0) (always 1970), decoded in init() into a header
local blob = "ia_b8l4_vr7gynsa3x2qlpjuc1mzfo04dt"
local STD = "abcdefghijklmnopqrstuvwxyz0123456789"
local function rotated()
  local shift = tonumber(os.date("!%Y", 0)) % #STD
  return STD:sub(shift + 1) .. STD:sub(1, shift)
end
local function decode(s, from)
  local out = {}
  for i = 1, #s do
    local c = s:sub(i, i)
    local k = from:find(c, 1, true)
    out[i] = k and STD:sub(k, k) or c
  end
  return table.concat(out)
end
function init(args)
  wrk.headers["X-Api-Key"] = decode(blob, rotated()) -- want WL601
end
