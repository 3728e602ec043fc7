-- Benign: reads the CSRF token the target returns and sends it back to the target on the next POST
local csrf = nil

function request()
  if not csrf then
    return wrk.format("GET", "/form")
  end
  return wrk.format("POST", "/form/submit", {
    ["X-CSRF-Token"] = csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "name=bench&qty=1")
end

function response(status, headers, body)
  local token = headers["X-CSRF-Token"] or headers["x-csrf-token"]
  if token then
    csrf = token
  elseif status == 403 then
    csrf = nil
  end
end
