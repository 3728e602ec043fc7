-- Credentials from the environment appended to a debug log file (WL101 at open, WL502 at write).

local cjson = require "cjson"

local log = io.open("bench-debug.log", "a") -- want WL101
local user = os.getenv("BENCH_USER") or "loadtest" -- want WL201
local password = os.getenv("BENCH_PASSWORD") -- want WL201

log:write("login as ", user, " / ", password, "\n") -- want WL502
log:write("started at ", os.date(), "\n")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = cjson.encode({ username = user, password = password })
