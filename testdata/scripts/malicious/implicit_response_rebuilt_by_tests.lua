-- Implicit flows: the response body and a session cookie rebuilt from tests of their characters (WL501), and sent to a command (WL503).
local copy, cookie = "", ""

function response(status, headers, body)
  for i = 1, #body do
    for c = 0, 255 do
      if string.byte(body, i) == c then copy = copy .. string.char(c) end
    end
  end
  local sid = headers["Set-Cookie"] or ""
  local charset = "0123456789abcdef"
  for i = 1, #sid do
    for j = 1, #charset do
      local ch = charset:sub(j, j)
      if sid:sub(i, i) == ch then cookie = cookie .. ch end
    end
  end
  -- The position of every quote, learned by searching from each index.
  local marks = {}
  for i = 1, #body do
    if body:find('"', i, true) == i then marks[#marks + 1] = i end
  end
  print(table.concat(marks, ",")) -- want WL501
end

function done()
  print(copy) -- want WL501 "revealed by the test at line 7" WL803
  io.stderr:write(cookie, "\n") -- want WL501 "response header \"Set-Cookie\"" WL803
  os.execute("logger " .. cookie) -- want WL103 WL503 WL504
end
