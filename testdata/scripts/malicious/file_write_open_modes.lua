-- io.open modes: anything that is not provably read-only is a write (WL101); reads are WL102.

local function open_log(path, mode)
   return io.open(path, mode) -- want WL101
end

local log = io.open("wrk-debug.log", "w") -- want WL101
local audit = io.open("audit.log", "a") -- want WL101
local state = io.open("state.db", "r+") -- want WL101
local dump = io.open("dump.bin", "w+b") -- want WL101
local append_mode = "a"
local trace = io.open("trace.log", append_mode) -- want WL101
local cfg = io.open("bench.conf", "r") -- want WL102

function response(status, headers, body)
   if log then
      log:write(status, "\n")
   end
end

function done(summary, latency, requests)
   local f = open_log("summary.txt", "w")
   if f then f:write(summary.requests, "\n") f:close() end
   if audit then audit:write("run finished\n") audit:close() end
end
