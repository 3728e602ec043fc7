-- Clean: per-thread counting with the totals taken from done()'s summary instead of globals.
local seen = 0

function response(status)
   seen = seen + 1
end

function done(summary, latency, requests)
   print("requests: " .. summary.requests .. ", 5xx+: " .. summary.errors.status)
end
