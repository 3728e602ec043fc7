-- Quiet: handlers defined as globals and looked up by a name picked from a table of constants, none of which can name a library.
function step_login(n) return wrk.format("POST", "/login", nil, "user=u" .. n) end
function step_list(n) return wrk.format("GET", "/items?page=" .. n % 10) end
function step_view(n) return wrk.format("GET", "/items/" .. n % 500) end

local plan = { "login", "list", "list", "view", "view", "view" }
local i = 0

function request()
  i = i + 1
  local step = plan[i % #plan + 1]
  return _G["step_" .. step](i)
end
