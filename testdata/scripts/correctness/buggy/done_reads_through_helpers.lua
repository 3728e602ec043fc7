-- WL803: the write and the read are in helpers, one only request() calls, one only done() calls.
sent = 0

local function count_request()
   sent = sent + 1
end

local function report()
   print("sent " .. sent) -- want WL803
end

function request()
   count_request()
   return wrk.format("GET", "/")
end

function done()
   report()
end
