-- Implicit flows without an if: rawequal, and/or guards, assert under pcall, and counts of what tested branches collected (WL502).
local secret = os.getenv("APP_SECRET") -- want WL201

-- rawequal is a comparison like ==.
local a = ""
for i = 1, #secret do
  for c = 33, 126 do
    if rawequal(secret:byte(i), c) then a = a .. string.char(c) end
  end
end
print(a) -- want WL502

-- A guard written with and: the call runs only when the test holds.
local b = {}
for c = 33, 126 do
  local _ = secret:byte(1) == c and table.insert(b, c)
end
print(b[1]) -- want WL502

-- assert under pcall: whether it raised is the test's answer.
local bits = ""
for i = 1, 8 do
  local ok = pcall(assert, secret:byte(i) > 96)
  bits = bits .. (ok and "1" or "0")
end
print(bits) -- want WL502

-- What tested branches collected, counted by select("#", ...) and by iterating.
local hits = {}
for c = 0, 255 do
  if secret:byte(2) > c then hits[#hits + 1] = true end
end
print(select("#", unpack(hits))) -- want WL502
local n = 0
for _ in ipairs(hits) do n = n + 1 end
print(n) -- want WL502
