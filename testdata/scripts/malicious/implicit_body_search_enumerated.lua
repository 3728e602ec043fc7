-- A body searched for candidates the script generates (every byte, every two-letter word) tells which pieces it holds: what those tests choose is response data (WL501).
local present = {}
local letters = "abcdefghijklmnopqrstuvwxyz"

function response(status, headers, body)
  for c = 0, 255 do
    if body:find(string.char(c), 1, true) then
      present[#present + 1] = c
    end
  end
  for i = 1, #letters do
    for j = 1, #letters do
      local word = letters:sub(i, i) .. letters:sub(j, j)
      if headers["Set-Cookie"] and headers["Set-Cookie"]:match(word) then
        io.write(word, " ") -- want WL501
      end
    end
  end
  print(table.concat(present, ",")) -- want WL501 "revealed by the test at line 7"
  check_pin(headers)
end

-- A header compared as a whole with every code the script can generate.
function check_pin(headers)
  local pin = headers["X-Session-Pin"]
  for n = 0, 9999 do
    if pin == string.format("%04d", n) then
      io.write("pin ", n, "\n") -- want WL501
    end
  end
end
