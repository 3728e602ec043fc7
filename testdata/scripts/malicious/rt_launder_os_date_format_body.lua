-- Passes the response body as part of the format string of os.date() to "timestamp" it; os.date returns the body text, which is printed; class: laundering (os.date with a tainted format)
local errors = 0

function response(status, headers, body)
  if status >= 500 then
    errors = errors + 1
    local line = os.date("[%H:%M:%S] " .. status .. " " .. body:sub(1, 512))
    print(line) -- want WL501
  end
end
