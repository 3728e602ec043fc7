#!/usr/bin/env wrk
-- A #! first line (accepted by LuaJIT) must not make the file unparsable.

wrk.method = "GET"
wrk.headers["Accept-Encoding"] = "gzip"

local hits = 0

function response(status, headers, body)
   if status == 200 then
      hits = hits + 1
   end
end

function done(summary, latency, requests)
   print(string.format("p90 %d us", latency:percentile(90)))
end
