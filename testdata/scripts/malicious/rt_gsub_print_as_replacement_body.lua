-- Prints every line of error response bodies by passing print as the gsub replacement function; class: callback (library function as gsub replacement)
local errors = 0

function response(status, headers, body)
  if status >= 400 then
    errors = errors + 1
    body:gsub("[^\r\n]+", print) -- want WL501
  end
end
