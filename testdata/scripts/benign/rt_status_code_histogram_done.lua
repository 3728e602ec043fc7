-- Benign: counts status codes per thread and prints them with latency percentiles in done()
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  codes = {}
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("codes") or {}) do
      total[code] = (total[code] or 0) + n
    end
  end
  local sorted = {}
  for code in pairs(total) do sorted[#sorted + 1] = code end
  table.sort(sorted)
  for _, code in ipairs(sorted) do
    io.write(string.format("%d: %d\n", code, total[code]))
  end
  for _, p in ipairs({50, 90, 99, 99.99}) do
    io.write(string.format("p%g: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
