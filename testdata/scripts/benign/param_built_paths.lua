-- Builds request paths from a helper's parameters: relative paths and the target's own URL only
local function path(resource, id)
  return "/api/v2/" .. resource .. "/" .. id
end

local function self_url(p)
  return wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port .. p
end

local n = 0
function request()
  n = n + 1
  if n % 2 == 0 then
    return wrk.format("GET", path("items", n))
  end
  return wrk.format("GET", self_url(path("users", "me")))
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. " for " .. path("items", "x") .. "\n")
  end
end

-- The target's own URL with string.format and table.concat.
function delay()
  local a = wrk.format("GET", string.format("%s://%s:%s/health", wrk.scheme, wrk.host, wrk.port))
  local b = wrk.format("GET", table.concat({ "/api", "v2", "items" }, "/"))
  return 0
end
