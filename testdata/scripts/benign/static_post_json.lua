-- Static POST request configured at top level, like wrk's scripts/post.lua.

wrk.method = "POST"
wrk.body   = '{"sku":"A-1001","quantity":2,"currency":"EUR"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["User-Agent"] = "wrk-loadtest/1.0"

-- Content-Length is added by wrk.format, nothing else to do.
local expected = 0

function response(status, headers, body)
   if status == 201 then
      expected = expected + 1
   end
end
