-- Benign: decode JSON bodies under pcall, count errors, sort the counters by value, print only counts.
local ok, cjson = pcall(require, "cjson")
if not ok then cjson = nil end
local counts = {}

function response(status, headers, body)
  if not cjson then return end
  local good, doc = pcall(cjson.decode, body)
  if not good then
    counts.invalid = (counts.invalid or 0) + 1
    return
  end
  local kind = type(doc) == "table" and doc.kind or "none"
  counts[kind] = (counts[kind] or 0) + 1
end

function done(summary)
  local names = {}
  for name in pairs(counts) do names[#names + 1] = name end -- want WL803
  table.sort(names, function(a, b) return counts[a] > counts[b] end)
  print("kinds seen", #names, "requests", summary.requests)
end
