-- Clean: response_time and request_started are ordinary names, far from any hook.
local request_started = 0
response_time = 0

function request()
   request_started = os.clock()
   return wrk.format()
end

function response(status)
   response_time = os.clock() - request_started
end
