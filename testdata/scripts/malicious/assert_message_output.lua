-- assert's message is printed when the assertion fails: a secret or response data written into it leaks like error(...) does (WL502, WL501).
local key = os.getenv("SIGNING_KEY") -- want WL201

function init(args)
  assert(#args > 10, "need more arguments; key is " .. key) -- want WL502 "assert's message"
end

local check = assert
function response(status, headers, body)
  check(status == 200, body) -- want WL501
end
