-- Implicit flows through raised errors, table keys set in tested branches, and select by a byte (WL502).
local pin = os.getenv("DB_PASSWORD") -- want WL201

-- A probe that raises when the guess is right; only pcall's status is read.
local guessed = ""
for i = 1, #pin do
  for c = 48, 57 do
    local ok = pcall(function()
      if pin:byte(i) == c then error("hit") end
    end)
    if not ok then guessed = guessed .. string.char(c) end
  end
end
print(guessed) -- want WL502

-- Keys set in a tested branch, then listed.
local seen = {}
for c = 32, 126 do
  if pin:find(string.char(c), 1, true) then seen[c] = true end
end
for c in pairs(seen) do io.write(c, " ") end -- want WL502

-- select picks an argument by a byte.
local digits = {}
for i = 1, #pin do
  digits[i] = select(pin:byte(i) - 47, "0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
end
print(table.concat(digits)) -- want WL502

-- A ternary on a test result.
local mask = {}
for i = 1, #pin do mask[i] = (pin:byte(i) > 52) and "H" or "L" end
print(table.concat(mask)) -- want WL502
