-- Reads a payload file at a known place under HOME and sends it to the target; prints only its size
local home = os.getenv("HOME") or "/tmp" -- want WL201
local body = ""
local f = io.open(home .. "/bench/payload.json") -- want WL102
if f then
  body = f:read("*a")
  f:close()
end
print("payload: " .. #body .. " bytes")

function request()
  return wrk.format("POST", "/api/orders", {["Content-Type"] = "application/json"}, body)
end
