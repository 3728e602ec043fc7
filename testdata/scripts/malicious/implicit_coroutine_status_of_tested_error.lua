-- A coroutine whose body raises in a branch that tests a piece of a secret: resume's status and coroutine.status() then say what the test found, as pcall's status does (WL502).
local secret = os.getenv("CLIENT_SECRET") -- want WL201

function done()
  local bits = {}
  for i = 1, #secret do
    local probe = coroutine.create(function()
      if secret:byte(i) >= 96 then error("high") end
      coroutine.yield()
    end)
    local ok = coroutine.resume(probe)
    bits[#bits + 1] = ok and "." or "^"
    if coroutine.status(probe) == "dead" then
      io.write(i, " ") -- want WL502
    end
  end
  print(table.concat(bits)) -- want WL502
end
