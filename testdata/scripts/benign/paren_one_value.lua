-- A call in parentheses is one value: io.open((path:gsub(...))) opens the file for reading, never with gsub's count as its mode
local home = os.getenv("HOME") or "/root" -- want WL201
local name = "~/bench/payload.json"

local payload = ""
local f = io.open((name:gsub("^~", home))) -- want WL102
if f then
  payload = f:read("*a")
  f:close()
end

local function first(...)
  return (...)
end

function request()
  return wrk.format("POST", first("/api/items", "/unused"), {["Content-Type"] = "application/json"}, payload)
end
