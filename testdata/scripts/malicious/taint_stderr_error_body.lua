-- Server error bodies copied to stderr "for debugging" (WL501); the constant summary line is fine.

local errors = 0

function response(status, headers, body)
   if status >= 500 then
      errors = errors + 1
      local err_body = body
      io.stderr:write(err_body) -- want WL501
      io.stderr:write(string.format("[%d] error #%d\n", status, errors))
   end
end

function done(summary, latency, requests)
   io.stderr:write(string.format("%d server errors\n", summary.errors.status))
end
