-- Payloads read in init, one request per line.
local payloads = {}
function init(args)
   local path = args[1] or "payloads.txt"
   for line in io.lines(path) do -- want WL102
      payloads[#payloads + 1] = line
   end
   local f = assert(io.open("body.json", "rb")) -- want WL102
   payloads.template = f:read("*a")
   f:close()
end
local i = 0
function request()
   i = i % #payloads + 1
   return wrk.format("POST", "/api", nil, payloads[i])
end
