-- Clean: local hooks assigned to the globals wrk reads, by name and through _G.
local n = 0

local function request()
   n = n + 1
   return wrk.format("GET", "/n/" .. n)
end

local function response(status)
   if status ~= 200 then n = 0 end
end

request = request
_G.response = response
