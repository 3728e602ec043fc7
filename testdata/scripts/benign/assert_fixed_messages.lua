-- assert with fixed messages, with a path, and around a decoder whose error it prints: validation, not output of the data.
local cjson = require("cjson.safe")
local path = os.getenv("PAYLOAD_FILE") or "payload.json" -- want WL201
local f = assert(io.open(path, "r"), "cannot open " .. path) -- want WL102
local payload = f:read("*a")
f:close()
local doc = assert(cjson.decode(payload))

function response(status, headers, body)
  assert(status < 600, "impossible status")
  local reply = assert(cjson.decode(body))
  assert(type(reply) == "table", "reply is not an object")
end

request = function()
  return wrk.format("POST", "/items", { ["Content-Type"] = "application/json" }, cjson.encode(doc))
end
