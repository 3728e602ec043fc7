-- A function added to the string library is called as a method on a value whose type is not known (a response body): the leak inside it is seen.
string.show = function(s) print(s) end -- want WL501
local sl = getmetatable("").__index
sl.keep = function(s)
  local f = io.open("/tmp/keep.txt", "a") -- want WL101
  f:write(s) -- want WL501
end

function response(status, headers, body)
  body:show()
  headers["Set-Cookie"]:keep()
end
