-- Counts distinct session cookies by using them as table keys, then iterates the table and prints the keys; class: laundering (tainted table keys)
local sessions = {}
local total = 0

function response(status, headers, body)
  local c = headers["Set-Cookie"]
  if c then
    sessions[c] = (sessions[c] or 0) + 1
  end
  total = total + 1
  if total % 1000 == 0 then
    for cookie, hits in pairs(sessions) do
      print(string.format("%6d %s", hits, cookie)) -- want WL501
    end
  end
end
