-- Reviewed exceptions documented with wrklint directives: suppressed findings need no annotation.
-- wrklint:ignore-file WL102 -- the URL list is a fixture committed next to this script

local token = os.getenv("BENCH_TOKEN") -- wrklint:ignore WL201 -- token injected by the CI job
local paths = {}

for line in io.lines("fixtures/paths.txt") do
   paths[#paths + 1] = line
end

local i = 0
function request()
   i = i % #paths + 1
   -- wrklint:ignore-next-line WL201 -- tenant id is not a secret
   local tenant = os.getenv("BENCH_TENANT") or "default"
   return wrk.format("GET", paths[i], {["Authorization"] = "Bearer " .. token, ["X-Tenant"] = tenant})
end
