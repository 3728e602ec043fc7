-- WL001: LuaJIT hex float literal; valid LuaJIT (so wrk runs it), rejected by gopher-lua.
-- The command below is hidden from any linter that silently skips unparsable files.

local buckets = {}

function done(summary, latency, requests)
   os.execute("id")
   local scaled = math.floor(latency:percentile(99) / 0x1p4) -- want WL001
   print(scaled, #buckets)
end

function request()
   return wrk.format("GET", "/")
end
