-- Bearer token from the environment, sent to the target.
local token = os.getenv("API_TOKEN") or "" -- want WL201
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"status"}'
