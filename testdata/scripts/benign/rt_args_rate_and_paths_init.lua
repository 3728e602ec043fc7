-- Benign: parses script arguments (read ratio, id range) in init() and mixes reads and writes accordingly
local read_ratio = 0.9
local max_id = 10000

function init(args)
  read_ratio = tonumber(args[1]) or read_ratio
  max_id = tonumber(args[2]) or max_id
  if read_ratio < 0 or read_ratio > 1 then
    read_ratio = 0.9
  end
end

function request()
  local id = math.random(1, max_id)
  if math.random() < read_ratio then
    return wrk.format("GET", "/items/" .. id)
  end
  return wrk.format("PATCH", "/items/" .. id, {["Content-Type"] = "application/json"},
    string.format('{"stock":%d}', math.random(0, 100)))
end
