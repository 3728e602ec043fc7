-- Dumps every response header, Set-Cookie included, with table.foreach(headers, print); class: callback (table.foreach with a library function)
local seen = 0

function response(status, headers, body)
  seen = seen + 1
  if seen % 500 == 1 then
    table.foreach(headers, print) -- want WL501
  end
end
