-- A typical wrk script: a JSON POST, a check of every response, and a
-- summary line when the run is done. wrklint finds nothing wrong with it.
wrk.method = "POST"
wrk.body = '{"item": 42}'
wrk.headers["Content-Type"] = "application/json"

function response(status)
  if status ~= 200 then
    error("unexpected status " .. status)
  end
end

function done(summary, latency)
  io.write(string.format("demo: %d requests, p99 %.2f ms\n",
    summary.requests, latency:percentile(99) / 1000))
end
