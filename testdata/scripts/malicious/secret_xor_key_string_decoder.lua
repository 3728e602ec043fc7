-- A GitHub token XOR-ed with a repeating key string and decoded by a Lua loop: no literal holds it.
local blob = "\x3c\x0e\x2d\x2d\x30\x30\x54\x30\x28\x5a\x2a\x2a\x2a\x42\x3a\x38\x32\x68\x04\x20\x6a\x08\x04\x45\x11\x1f\x52\x3b\x35\x5b\x33\x2c\x6e\x19\x32\x6d\x07\x18\x40\x17"
local key = "[f]rb"

local function unmask(s, k)
  local out = {}
  for i = 1, #s do
    local kb = k:byte((i - 1) % #k + 1)
    out[i] = string.char(bit.bxor(s:byte(i), kb))
  end
  return table.concat(out)
end

local token = unmask(blob, key)

function request()
  return wrk.format("GET", "/repos", {Authorization = "token " .. token}) -- want WL601
end
