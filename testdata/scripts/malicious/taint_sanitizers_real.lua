-- Sanitizers that do not sanitize: tonumber with a base, os.date with a tainted format, table keys, tostring, arithmetic on bytes.
function response(status, headers, body)
  print(tonumber(body:sub(1, 8), 16)) -- want WL501
  print(tonumber(body)) -- a number in base 10 is data of its own
  print(os.date(body)) -- want WL501
  local seen = {}
  seen[body] = true
  for k in pairs(seen) do io.write(k) end -- want WL501
  print(tostring(body)) -- want WL501
  print(string.byte(body, 1) + 0) -- want WL501
  print(#body, status)
end
