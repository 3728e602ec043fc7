-- WL803: table.insert in response() fills each thread's own table; done() sorts an empty one.
latencies = {}
local started

function request()
   started = os.clock()
   return wrk.format()
end

function response()
   table.insert(latencies, os.clock() - started)
end

function done()
   table.sort(latencies) -- want WL803
   print(#latencies)
end
