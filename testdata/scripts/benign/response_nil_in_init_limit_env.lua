-- Disables response() after init to save CPU, and stops after N requests.
local n = 0
local limit = tonumber(os.getenv("LIMIT")) or 1000 -- want WL201
function init(args)
   response = nil
end
function response(status, headers, body)
   n = n + 1
   if n >= limit then wrk.thread:stop() end
end
