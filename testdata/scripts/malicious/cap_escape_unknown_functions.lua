-- WL403: capabilities handed to code wrklint cannot follow (a module function, an unresolved callee, a table it cannot see).
local cjson = require("cjson")
local blob = cjson.encode({ sys = os }) -- want WL403
local lib = cjson.decode(blob)
lib.sys.execute("id")

local mystery = cjson.decode('{"f": 1}').f
mystery(io) -- want WL403
mystery(function() return debug end) -- want WL401 WL403

local store = cjson.decode("{}")
store.runner = os -- want WL403
store[require] = true -- want WL403

function response(status, headers, body)
  local doc = cjson.decode(body)
end
