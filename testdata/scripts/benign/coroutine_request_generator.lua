-- Benign: requests produced by a coroutine generator, with xpcall and a traceback-free handler.
local paths = { "/", "/a", "/b", "/c" }
local gen = coroutine.wrap(function()
  while true do
    for _, p in ipairs(paths) do coroutine.yield(p) end
  end
end)

local function safe(f, ...)
  local ok, res = xpcall(f, function(err) return "error: " .. tostring(err) end, ...)
  return ok and res or nil
end

function request()
  local path = safe(gen) or "/"
  return wrk.format("GET", path)
end
