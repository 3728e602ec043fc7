-- Benign: a helper module receives thread objects and data, never a library.
package.path = package.path .. ";./lib/?.lua"
local helpers = require("bench_helpers")
local threads = {}

function setup(thread)
  helpers.setup(thread, { id = #threads + 1 })
  table.insert(threads, thread)
end

function response(status, headers, body)
  helpers.record(status, #body)
end

function done(summary, latency)
  helpers.report(summary, latency:percentile(99))
end
