-- Benign: per-thread counters collected through thread:get() on the threads gathered in setup()
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  requests = 0
  responses = 0
  errors_5xx = 0
end

function request()
  requests = requests + 1
  return wrk.request()
end

function response(status, headers, body)
  responses = responses + 1
  if status >= 500 then
    errors_5xx = errors_5xx + 1
  end
end

function done(summary, latency, reqs)
  for _, t in ipairs(threads) do
    local id = t:get("id")
    local sent = t:get("requests")
    local got = t:get("responses")
    local bad = t:get("errors_5xx")
    print(string.format("thread %d: %d requests, %d responses, %d 5xx", id, sent, got, bad))
  end
end
