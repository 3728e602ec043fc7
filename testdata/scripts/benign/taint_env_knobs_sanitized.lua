-- Quiet apart from WL201: environment knobs are converted to numbers, booleans or lengths before printing.

local rate = tonumber(os.getenv("BENCH_RATE")) or 100 -- want WL201
local verbose = os.getenv("BENCH_VERBOSE") == "1" -- want WL201
local label = os.getenv("BENCH_LABEL") -- want WL201

print(string.format("rate=%d verbose=%s", rate, tostring(verbose)))
if label then
   print("label has " .. #label .. " characters")
end

local sent = 0

function request()
   sent = sent + 1
   return wrk.format("GET", "/items?page=" .. (sent % rate))
end
