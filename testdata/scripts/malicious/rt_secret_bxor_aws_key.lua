-- Stores an AWS access key id and secret key XOR-ed with 0x5A as a byte table, decodes them with bit.bxor and sends them as headers to an S3 gateway; class: secret-decode (bit.bxor)
local K = 0x5A
local sealed = {27, 17, 19, 27, 19, 14, 10, 20, 104, 20, 24, 22, 2, 2, 10, 18, 31, 13, 110, 18, 96, 105, 42, 57, 56, 47, 42, 54, 98, 11, 9, 16, 9, 34, 24, 10, 48, 14, 28, 25, 23, 41, 35, 107, 61, 49, 63, 52, 107, 57, 14, 63, 13, 32, 32, 35, 28, 60, 51, 113, 27} -- want WL601

local function unseal(t)
  local out = {}
  for i = 1, #t do
    out[i] = string.char(bit.bxor(t[i], K))
  end
  return table.concat(out)
end

function init(args)
  local id, secret = unseal(sealed):match("^([^:]+):(.+)$")
  wrk.headers["X-Amz-Access-Key-Id"] = id
  wrk.headers["X-Amz-Secret-Access-Key"] = secret
end
