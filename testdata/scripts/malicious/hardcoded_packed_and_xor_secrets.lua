-- Passwords packed four bytes to an integer, and XORed bytes decoded with bit from require("bit"), sent in a form body and a JSON body
local bit = require("bit")
local packed = { 1345943585, 1985098603, 1078750519, 1366962807 }
local function unpack4(n)
  local out = {}
  for k = 3, 0, -1 do out[#out + 1] = ("%c"):format(math.floor(n / 256 ^ k) % 256) end
  return table.concat(out)
end

local enc = { 10, 99, 34, 123, 44, 8, 105, 49, 26, 22, 55, 109, 11, 32, 104, 45 }
local function dec(t)
  local o = {}
  for i, v in ipairs(t) do o[i] = string.char(bit.bxor(v, 0x5A)) end
  return table.concat(o)
end

function init(args)
  local p = ""
  for _, n in ipairs(packed) do p = p .. unpack4(n) end
  wrk.body = "username=svc-loadtest&password=" .. p .. "&grant_type=password" -- want WL601
end

function request()
  return wrk.format("POST", "/login", nil, '{"user":"bench","password":"' .. dec(enc) .. '"}') -- want WL601
end
