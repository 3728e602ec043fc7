-- Tainted data into code wrklint cannot follow comes back out tainted: results, callbacks, tables passed along.
local cjson = require("cjson")
local lib = cjson.decode("{}")
function response(status, headers, body)
  local r = lib.transform(body)
  print(r) -- want WL501
  lib.each(body, function(piece) print(piece) end) -- want WL501
  local box = {}
  lib.fill(box, body)
  print(box.anything) -- want WL501
end
