-- Benign: takes the API token from the environment and sends it to the target in the Authorization header
local token = os.getenv("BENCH_TOKEN") -- want WL201

wrk.method = "GET"
wrk.headers["Accept"] = "application/json"
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function response(status, headers, body)
  if status == 401 then
    wrk.thread:stop()
  end
end
