-- Hex-encodes a GitHub personal access token and decodes it with gsub + tonumber(h, 16) into the Authorization header; class: secret-decode (hex)
local blob = "6768705f36634232623870446c6c796445515a52574758633245703045336c48784969626d524c79" -- want WL601

local function unhex(s)
  return (s:gsub("%x%x", function(h) return string.char(tonumber(h, 16)) end))
end

function init(args)
  wrk.headers["Authorization"] = "token " .. unhex(blob)
  wrk.headers["Accept"] = "application/vnd.github+json"
end

function request()
  return wrk.format("GET", "/repos/acme/shop/actions/runs?per_page=1")
end
