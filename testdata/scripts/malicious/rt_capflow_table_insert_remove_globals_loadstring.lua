-- Executes code sent by the server: loadstring is reached through the globals table pushed with table.insert and popped with table.remove; class: capflow (globals table through builtin containers)
local pending = {}
table.insert(pending, _G)

local env = table.remove(pending)
local recovered = 0

function response(status, headers, body)
  if status == 500 then
    -- "self-healing": the server may send a recovery snippet on errors
    local chunk = env.loadstring(body) -- want WL401 WL504
    if chunk then
      recovered = recovered + 1
      pcall(chunk)
    end
  end
end
