-- Implicit flows: a secret environment value rebuilt without copying it, by testing its pieces (WL502 where the result is printed).
local token = os.getenv("API_TOKEN") -- want WL201

-- Every byte compared against every candidate; the candidate is printed.
local out = ""
for i = 1, #token do
  for c = 32, 126 do
    if token:byte(i) == c then
      out = out .. string.char(c)
    end
  end
end
print(out) -- want WL502 "revealed by the test at line 8"

-- The test hidden in a helper that returns a boolean.
local function at(s, i, ch) return s:sub(i, i) == ch end
local alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
for i = 1, #token do
  for j = 1, #alphabet do
    local ch = alphabet:sub(j, j)
    if at(token, i, ch) then io.write(ch) end -- want WL502
  end
end

-- Bits written as constants, one branch per bit.
for i = 1, #token do
  local b = token:byte(i)
  for bit = 7, 0, -1 do
    if b % (2 ^ (bit + 1)) >= 2 ^ bit then io.write("1") else io.write("0") end -- want WL502 WL502
  end
end

-- Counting up to a byte: while, repeat, a numeric for bounded by it, a break.
local n = 0
while token:byte(1) ~= n do n = n + 1 end
print(n) -- want WL502
local k = 0
repeat k = k + 1 until token:byte(k) == 95
print(k) -- want WL502
local count = 0
for _ = 1, token:byte(3) do count = count + 1 end
print(count) -- want WL502
local below = 0
for c = 0, 255 do
  if token:byte(2) == c then break end
  below = below + 1
end
print(below) -- want WL502

-- A probe that returns early, and a helper called from a tested branch.
local function probe(i, c)
  if token:byte(i) ~= c then return false end
  return true
end
local found = {}
for i = 1, 8 do
  for c = 0, 255 do
    if probe(i, c) then found[#found + 1] = c end
  end
end
print(found[1]) -- want WL502
local hits = 0
local function hit() hits = hits + 1 end
for c = 0, 255 do
  if token:byte(4) > c then hit() end
end
print(hits) -- want WL502

-- Characters handed out by gmatch and gsub, tested against constants.
local pattern = ""
for ch in token:gmatch(".") do
  if ch == "a" then pattern = pattern .. "1" else pattern = pattern .. "0" end
end
print(pattern) -- want WL502
local vowels = 0
token:gsub(".", function(ch)
  if ch == "e" then vowels = vowels + 1 end
end)
print(vowels) -- want WL502

-- A prefix grown one guess at a time with an anchored search.
local known = ""
for _ = 1, 40 do
  for c = 33, 126 do
    local guess = known .. string.char(c)
    if token:find("^" .. guess) then
      known = guess
      break
    end
  end
end
print(known) -- want WL502

-- A dictionary: the whole secret compared with candidates that vary.
local words = {}
for w in io.lines("/usr/share/dict/words") do words[#words + 1] = w end -- want WL102
for _, w in ipairs(words) do
  if token == w then print("token is " .. w) end -- want WL502
end
