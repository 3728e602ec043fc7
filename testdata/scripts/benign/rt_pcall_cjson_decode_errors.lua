-- Benign: counts bodies that fail to decode as JSON, using pcall around cjson.decode, and reports the count per thread
local json = require("cjson")
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  decode_failures = 0
end

function response(status, headers, body)
  local ok = pcall(json.decode, body)
  if not ok then
    decode_failures = decode_failures + 1
  end
end

function done(summary)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + (t:get("decode_failures") or 0)
  end
  print(string.format("invalid JSON bodies: %d of %d requests", total, summary.requests))
end
