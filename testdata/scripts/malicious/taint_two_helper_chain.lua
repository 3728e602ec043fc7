-- Response data flows through two helpers (format, then emit) to io.write (WL501).

local function describe(status, body)
   return string.format("[%d] %s", status, body:sub(1, 200))
end

local function emit(line)
   io.write(line, "\n") -- want WL501
end

function response(status, headers, body)
   if status ~= 200 then
      emit(describe(status, body))
   end
end

function done(summary, latency, requests)
   emit("done after " .. summary.requests .. " requests")
end
