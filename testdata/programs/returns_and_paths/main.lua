-- Modules on a path the script adds, a module returning a function, and
-- a secret that comes back from a module's function.
package.path = package.path .. ";./lib/?.lua"
local creds = require("creds")
local log = require("log")
local missing = require("not_there") -- want WL004

function request()
  return wrk.format("GET", "/", { Authorization = creds.token() })
end

function done(summary)
  log("token: " .. creds.token())
  print(summary.requests)
end
