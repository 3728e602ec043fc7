-- Paths piped on stdin: io.lines() without a path reads stdin, not a file.

local paths = {}

for line in io.lines() do
   if #line > 0 then
      paths[#paths + 1] = line
   end
end

if #paths == 0 then
   paths[1] = "/"
end

local n = 0
function request()
   n = n % #paths + 1
   return wrk.format("GET", paths[n])
end

function done(summary, latency, requests)
   io.stderr:write(#paths, " paths replayed\n")
end
