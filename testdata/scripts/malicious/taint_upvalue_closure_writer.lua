-- A body captured in an upvalue by one helper and written by another (WL501).

local captured = nil

local function remember(b)
   captured = b
end

local function flush()
   io.stdout:write(captured or "", "\n") -- want WL501 WL803
end

function response(status, headers, body)
   if status == 500 then
      remember(body)
   end
end

function done(summary, latency, requests)
   flush()
end
