-- Clean: a helper named like a hook (requests_for) that the script calls is not a misspelt hook.
local paths = { "/", "/about", "/pricing" }

function requests_for(i)
   return wrk.format("GET", paths[(i % #paths) + 1])
end

local n = 0
function request()
   n = n + 1
   return requests_for(n)
end
