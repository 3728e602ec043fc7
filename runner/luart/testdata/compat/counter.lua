-- Every request carries its sequence number, one counter per thread.
local n = 0

request = function()
   wrk.headers["X-Counter"] = n
   local path = "/" .. n
   n = n + 1
   return wrk.format(nil, path)
end
