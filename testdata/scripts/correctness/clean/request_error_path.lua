-- Clean: a path that raises an error does not fall off the end; a final return follows an if.
local queue = { "/a", "/b" }
local i = 0

function request()
   i = i + 1
   if i > 1000000 then
      error("too many requests")
   end
   if i % 2 == 0 then
      return wrk.format(nil, queue[1])
   end
   return wrk.format(nil, queue[2])
end
