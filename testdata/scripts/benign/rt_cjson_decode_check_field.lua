-- Benign: decodes JSON bodies with cjson and counts responses whose "status" field is not "ok"
local cjson = require("cjson")

local bad = 0
local checked = 0

function response(status, headers, body)
  if status ~= 200 then return end
  checked = checked + 1
  local ok, doc = pcall(cjson.decode, body)
  if not ok or type(doc) ~= "table" or doc.status ~= "ok" then
    bad = bad + 1
  end
  if checked % 10000 == 0 then
    print(string.format("checked %d bodies, %d not ok", checked, bad))
  end
end
