-- Benchmark knobs from the environment: alias of os.getenv, non-constant names, two reads on one line.

local getenv = os.getenv

local rate = tonumber(getenv("BENCH_RATE") or "100") -- want WL201
local tenant = os.getenv("BENCH_TENANT") or os.getenv("TENANT") or "default" -- want WL201 WL201

local knobs = {}
for _, name in ipairs({ "BENCH_REGION", "BENCH_ZONE" }) do
   knobs[name] = os.getenv(name) -- want WL201
end

wrk.headers["X-Tenant"] = tenant
wrk.headers["X-Region"] = knobs.BENCH_REGION or "eu-west-1"

function delay()
   return math.floor(1000 / rate)
end

function request()
   return wrk.format("GET", "/tenants/" .. tenant .. "/dashboard")
end
