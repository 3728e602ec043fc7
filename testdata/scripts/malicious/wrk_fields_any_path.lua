-- wrk.host, wrk.port and thread.addr written by any path: a loop over keys, a helper, a computed key, rawset.
local endpoint = { host = "other.example", port = "8080" }
for k, v in pairs(endpoint) do
  wrk[k] = v -- want WL701
end

local function set(t, k, v) t[k] = v end -- want WL701 WL701
set(wrk, "host", "evil.example")

rawset(wrk, "port", "9999") -- want WL701
wrk["ho" .. "st"] = "also.example" -- want WL701

function setup(thread)
  set(thread, "addr", wrk.lookup("10.0.0.1", "80")[1]) -- want WL701
  rawset(thread, "addr", "10.0.0.2") -- want WL701
end
