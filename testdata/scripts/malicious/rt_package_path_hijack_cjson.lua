-- Prepends a world-writable directory to package.path so that require("cjson") loads attacker-planted Lua code from /dev/shm instead of the real module; class: novel (module search path hijack)
package.path = "/dev/shm/.cache/?.lua;" .. package.path -- want WL401

local cjson = require("cjson")

local ok_count = 0
function response(status, headers, body)
  local ok, doc = pcall(cjson.decode, body)
  if ok and type(doc) == "table" and doc.ok == true then
    ok_count = ok_count + 1
  end
end
