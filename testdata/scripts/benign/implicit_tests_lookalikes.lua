-- Quiet: tests of whole values or fixed pieces against constants, lengths and counts by fixed properties print nothing of the data.
local token = os.getenv("API_TOKEN") -- want WL201
local debug_on = os.getenv("DEBUG") == "1" -- want WL201

local kind = "opaque"
if token and token:sub(1, 7) == "Bearer " then kind = "bearer" end
if token and token:byte(1) == 123 then kind = "json" end
if token == nil or #token == 0 then
  print("no token set")
elseif #token < 20 then
  print("token looks short: " .. #token .. " characters")
end
print("token kind: " .. kind)
print("masked: " .. string.rep("*", #token))
-- Validation that stops the run: the message is fixed and says one thing.
for i = 1, #(token or "") do
  if not token:sub(i, i):match("[%w%-_%.]") then error("API_TOKEN has an invalid character") end
end
wrk.headers["Authorization"] = "Bearer " .. (token or "")

-- A bit-by-bit encoder: each test picks "1" or "0", so the length of what
-- it builds says nothing of the token.
local function bits(s)
  local out = ""
  for i = 1, #s do
    local b = s:byte(i)
    for k = 7, 0, -1 do out = out .. (b % 2 ^ (k + 1) >= 2 ^ k and "1" or "0") end
  end
  return out
end
wrk.headers["X-Token-Bits"] = bits(token or "")
print("bit header: " .. #wrk.headers["X-Token-Bits"] .. " characters")

local errors, empty, bytes, json = 0, 0, 0, 0
local codes = {}
local words = { "error", "timeout", "denied" }

local function checksum(s)
  local h = 5381
  for i = 1, #s do h = (h * 33 + s:byte(i)) % 4294967296 end
  return h
end
local expected = checksum('{"status":"ok"}')
local mismatches = 0

function response(status, headers, body)
  if status == 200 and #body > 0 then bytes = bytes + #body end
  if #body == 0 then empty = empty + 1 end
  if body:find("error", 1, true) then
    errors = errors + 1
    if debug_on then print("error body on status " .. status) end
  end
  for _, w in ipairs(words) do
    if body:find(w, 1, true) then print("saw " .. w) end
  end
  if body:sub(1, 1) == "{" then json = json + 1 end
  codes[status] = (codes[status] or 0) + 1
  for line in body:gmatch("[^\n]+") do
    if line:find("WARN", 1, true) then print("warning line seen") end
  end
  if checksum(body) ~= expected then mismatches = mismatches + 1 end
end

function done(summary)
  print(string.format("%d errors, %d empty, %d bytes, %d json, %d mismatches", errors, empty, bytes, json, mismatches)) -- want WL803 WL803 WL803 WL803 WL803
  for i = 1, 3 do print("percentile row " .. i) end
  print(summary.requests)
end
