-- Data carried by sizes, table lookups and numeric conversions instead of copies (WL502, WL501).
local key = os.getenv("SIGNING_KEY") -- want WL201

-- Each byte turned into a string of that length, then measured.
local sizes = {}
for i = 1, #key do
  local pad = string.rep("x", key:byte(i))
  sizes[#sizes + 1] = #pad
end
print(table.concat(sizes, ",")) -- want WL502 "as a length|a piece"

-- string.len of a substring whose end is a position found in the key.
local cut = key:sub(1, key:find("-", 1, true))
print(string.len(cut)) -- want WL502

-- A test choosing between strings of different lengths, then measured.
local grown = ""
for i = 1, #key do grown = grown .. (key:byte(i) > 77 and "xx" or "y") end
print(#grown) -- want WL502

-- A width written into a format, then measured.
local widths = {}
for i = 1, #key do widths[i] = #(("%" .. key:byte(i) .. "s"):format("")) end
print(table.concat(widths, " ")) -- want WL502

-- A lookup table indexed by the bytes.
local hex = {}
for v = 0, 255 do hex[v] = string.format("%02x", v) end
local enc = {}
for i = 1, #key do enc[#enc + 1] = hex[key:byte(i)] end
print(table.concat(enc)) -- want WL502

-- Bytes laundered through tostring and tonumber.
local nums = {}
for i = 1, #key do nums[i] = tonumber(tostring(key:byte(i))) end
print(table.concat(nums, ".")) -- want WL502

-- A table grown in a tested branch, then only its length printed.
local marks = {}
for i = 1, #key do
  if key:byte(i) > 77 then marks[#marks + 1] = true end
end
print(#marks) -- want WL502

-- Booleans from tests, stored and printed.
local flags = {}
for i = 1, #key do flags[i] = tostring(key:byte(i) >= 97) end
print(table.concat(flags, " ")) -- want WL502

function response(status, headers, body)
  -- The body's bytes as the counts of a loop.
  local total = 0
  for i = 1, #body do
    for _ = 1, body:byte(i) do total = total + 1 end
  end
  print(total) -- want WL501
end

-- A size written as separators, then counted.
local counts = {}
for i = 1, #key do
  local _, n = ("."):rep(key:byte(i), ","):gsub(",", ",")
  counts[i] = n
end
print(table.concat(counts, " ")) -- want WL502

-- Each byte seeds the generator; the first draw is its image.
local draws = {}
for i = 1, #key do
  math.randomseed(key:byte(i))
  draws[i] = math.random(1, 1000000)
end
print(table.concat(draws, ",")) -- want WL502

-- Each byte as the number of values unpack hands out, counted by select.
local filler = {}
for i = 1, 256 do filler[i] = true end
local function count(...) return select("#", ...) end
local sizes2 = {}
for i = 1, #key do sizes2[i] = count(unpack(filler, 1, key:byte(i))) end
print(table.concat(sizes2, " ")) -- want WL502

-- Each bit decides whether a coroutine yields; only its status is kept.
local states = {}
for i = 1, #key do
  local co = coroutine.create(function(b)
    if b % 2 == 1 then coroutine.yield() end
  end)
  coroutine.resume(co, key:byte(i))
  states[i] = coroutine.status(co)
end
print(table.concat(states, " ")) -- want WL502
