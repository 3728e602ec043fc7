-- Response data kept in table fields and printed later (WL501).

local stash = { last = nil, meta = nil }

function response(status, headers, body)
   stash.last = body
   stash.meta = { code = status, session = headers["X-Session"] }
end

function done(summary, latency, requests)
   print("last body: " .. tostring(stash.last)) -- want WL501 WL803
   print("session was " .. tostring(stash.meta.session)) -- want WL501
   print(string.format("%d requests", summary.requests))
end
