-- WL802: "local response = function" is as invisible to wrk as "local function response".
local statuses = {}

local response = function(status, headers, body) -- want WL802
   statuses[status] = (statuses[status] or 0) + 1
end

function request()
   return wrk.format(nil, "/")
end
