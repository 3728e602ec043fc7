-- WL801: a response hook misspelt "respone" is never called, so errors stays 0 in every thread.
errors = 0

function respone(status, headers, body) -- want WL801
   if status >= 400 then
      errors = errors + 1
   end
end

function request()
   return wrk.format("GET", "/health")
end
