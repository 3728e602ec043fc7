-- A permutation of constant positions sorted by a secret's bytes leaks their order (WL502 where it is printed).
local key = os.getenv("HMAC_KEY") -- want WL201

local order = { 1, 2, 3, 4, 5, 6, 7, 8 }
table.sort(order, function(x, y) return key:byte(x) > key:byte(y) end)
io.write(table.concat(order, ","), "\n") -- want WL502 "revealed by the test at line 5"
