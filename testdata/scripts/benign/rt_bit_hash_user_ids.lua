-- Benign: FNV-1a hashing with the bit library to map synthetic user ids to shard-affine paths
local bit = require("bit")

local function fnv1a(s)
  local h = 2166136261
  for i = 1, #s do
    h = bit.bxor(h, s:byte(i))
    -- h * 16777619 (the FNV prime 2^24 + 2^8 + 0x93) with shifts, exact in 32 bits
    h = bit.tobit(h + bit.lshift(h, 1) + bit.lshift(h, 4) + bit.lshift(h, 7) + bit.lshift(h, 8) + bit.lshift(h, 24))
  end
  return bit.band(h, 0x7fffffff)
end

local shards = 16
local n = 0

function request()
  n = n + 1
  local user = "user-" .. (n % 10000)
  local shard = fnv1a(user) % shards
  return wrk.format("GET", string.format("/s/%02d/profile/%s", shard, user))
end
