-- Benign: logs in and sends the session cookie back to the target (the password placeholder is filled by envsubst before the run)
local session = nil
local logins = 0

function request()
  if session == nil then
    return wrk.format("POST", "/api/session", {["Content-Type"] = "application/json"}, '{"user":"loadtest","password":"${LOADTEST_PASSWORD}"}')
  end
  return wrk.format("GET", "/api/me", {["Cookie"] = session})
end

function response(status, headers, body)
  local set = headers["Set-Cookie"] or headers["set-cookie"]
  if set then
    session = set:match("^([^;]+)")
    logins = logins + 1
  elseif status == 401 then
    session = nil
  end
end
