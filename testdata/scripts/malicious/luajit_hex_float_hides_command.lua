-- LuaJIT hex float literal 0x1p4 (gopher-lua rejects it): wrklint still analyses the file,
-- so the command below, hidden from linters that skip unparsable files, is found.

local buckets = {}

function done(summary, latency, requests)
   os.execute("id") -- want WL103
   local scaled = math.floor(latency:percentile(99) / 0x1p4)
   print(scaled, #buckets)
end

function request()
   return wrk.format("GET", "/")
end
