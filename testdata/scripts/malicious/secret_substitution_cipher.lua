-- An API key kept under a substitution alphabet and decoded with gsub and a lookup table built at load time.
local plain = "abcdefghijklmnopqrstuvwxyz0123456789"
local cipher = "qwertyuiopasdfghjklzxcvbnm9876543210"
local map = {}
for i = 1, #cipher do
  map[cipher:sub(i, i)] = plain:sub(i, i)
end

local hidden = "qa2y7dw0bj5vr1kz6fl3sh8nt4me9ui"

wrk.headers["X-Api-Key"] = hidden:gsub(".", map) -- want WL601
