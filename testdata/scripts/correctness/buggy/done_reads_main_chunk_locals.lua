-- WL803: locals of the main chunk are per state too: the shape of a public profiling script.
local request_counter = 0
local responses = 0
local errors = 0

function request()
   request_counter = request_counter + 1
   return wrk.format("GET", wrk.path or "/")
end

function response(status, headers, body)
   responses = responses + 1
   if status >= 400 then
      errors = errors + 1
   end
end

function done(summary, latency, requests)
   io.write("Requests: " .. summary.requests .. ", Responses: " .. responses) -- want WL803
   io.write(", Errors: " .. errors .. "\n") -- want WL803
end
