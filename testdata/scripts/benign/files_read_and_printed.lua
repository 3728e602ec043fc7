-- Quiet at error level: data files (payloads, a config) read and summarised; reading is only a WL102 warning.
local payloads = {}
for line in io.lines("data/payloads.jsonl") do -- want WL102
  payloads[#payloads + 1] = line
end
print("loaded " .. #payloads .. " payloads")

local cfg = io.open("bench/config.env.example") -- want WL102
if cfg then
  local text = cfg:read("*a")
  cfg:close()
  print("config: " .. text)
end

local i = 0
function request()
  i = i % #payloads + 1
  return wrk.format("POST", "/ingest", { ["Content-Type"] = "application/json" }, payloads[i])
end
