-- Dynamic request with a per-thread counter in the path and a header (scripts/counter.lua).

local counter = 1

function request()
   local path = "/items/" .. counter
   wrk.headers["X-Counter"] = tostring(counter)
   counter = counter + 1
   return wrk.format(nil, path)
end

function response(status, headers, body)
   if status ~= 200 then
      io.write("unexpected status ", status, "\n")
   end
end
