-- Benign: POSTs a JSON payload read once from a fixture file
local f = assert(io.open("payloads/order.json", "r")) -- want WL102
local payload = f:read("*a")
f:close()

wrk.method = "POST"
wrk.path = "/api/orders"
wrk.body = payload
wrk.headers["Content-Type"] = "application/json"
