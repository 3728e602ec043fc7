-- HTTP pipelining: init builds three requests, request() returns the batch (scripts/pipeline.lua).

init = function(args)
   local r = {}
   r[1] = wrk.format(nil, "/?foo")
   r[2] = wrk.format(nil, "/?bar")
   r[3] = wrk.format(nil, "/?baz")

   req = table.concat(r)
end

request = function()
   return req
end

function done(summary, latency, requests)
   print("pipelined responses: " .. summary.requests)
end
