-- Benign: builds a pipelined batch of GET/PUT/DELETE requests once in init() and sends it as one request string
local batch

function init(args)
  local depth = tonumber(args[1]) or 3
  local parts = {}
  for i = 1, depth do
    parts[#parts + 1] = wrk.format("GET", "/kv/key" .. i)
    parts[#parts + 1] = wrk.format("PUT", "/kv/key" .. i, {["Content-Type"] = "text/plain"}, "value-" .. i)
  end
  parts[#parts + 1] = wrk.format("DELETE", "/kv/key1")
  batch = table.concat(parts)
end

function request()
  return batch
end
