-- Mock bearer tokens and synthetic passwords generated at run time: built by the script, but not secrets anyone holds.
math.randomseed(os.time())
local alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

local function random_token(n)
  local t = {}
  for i = 1, n do
    local k = math.random(1, #alphabet)
    t[i] = alphabet:sub(k, k)
  end
  return table.concat(t)
end

local counter = 0

function request()
  counter = counter + 1
  local body = string.format("username=user%05d&password=%08d", counter, counter)
  return wrk.format("POST", "/login", {
    ["Authorization"] = "Bearer " .. random_token(32),
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
