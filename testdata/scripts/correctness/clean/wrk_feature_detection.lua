-- Clean: fields the script tests for before use (wrk2's time_us, a wrkrun-only field) are feature detection.
local function now_us()
   if wrk.time_us then
      return wrk.time_us()
   end
   return os.time() * 1000000
end

local has_version = type(wrk.version) == "string"
local started = wrk.started_at ~= nil and wrk.started_at or now_us()

function request()
   return wrk.format(nil, "/t/" .. now_us() .. (has_version and "v" or "") .. started)
end
