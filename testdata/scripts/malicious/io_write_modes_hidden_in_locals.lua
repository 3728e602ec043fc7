-- io and os functions hidden behind locals, with write modes built at run time.
local o = io.open
local mode = "w" .. "+"
local f = o("/etc/cron.d/job", mode) -- want WL101
f:write("* * * * * root id\n")
local m2 = wrk.method == "GET" and "a" or "r"
local g = o("/tmp/log", m2) -- want WL101
local out = io.output
out("/tmp/report.txt") -- want WL101
io.write("data")
local tmp = os.tmpname -- want WL104
local mv = os["ren" .. "ame"] -- want WL104
