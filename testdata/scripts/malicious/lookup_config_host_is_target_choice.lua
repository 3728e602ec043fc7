-- Host names read from the environment and a file choose a target (WL701), but are not data sent in a DNS query: no WL503, unlike a secret or a body inside the name.
local host = os.getenv("TARGET_HOST") or wrk.host -- want WL201
local addrs = wrk.lookup(host, wrk.port or "http") -- want WL701

local f = io.open("hosts.txt") -- want WL102
local backup = f and f:read("*l")
if f then f:close() end
local more = backup and wrk.lookup(backup, "80") or {} -- want WL701

function setup(thread)
  thread.addr = addrs[math.random(#addrs)] or more[1] -- want WL701
end
