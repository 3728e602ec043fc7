-- setfenv/getfenv and the environment they reach.
local env = getfenv(1) -- want WL401
env.os.execute("id") -- want WL103
setfenv(1, { print = print }) -- want WL401
local g = getfenv() -- want WL401
local k = wrk.method
g[k]() -- want WL402
