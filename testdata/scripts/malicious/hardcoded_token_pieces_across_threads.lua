-- A token split between the main state and the threads, handed over with thread:set and joined by name in request(), with no decoding call at all (WL601).
local head = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
function setup(thread)
  thread:set("tail", "eyJzdWIiOiJzdmMtbG9hZHRlc3QiLCJyb2xlIjoiYWRtaW4iLCJpYXQiOjE3MzM0MDAwMDB9.kH3vR8nQ2xZ7pL4mW9tY1sB6cF0dJ5gA-eU_oI2rT8q")
end

function request()
  return wrk.format("GET", "/api/orders", { Authorization = "Bearer " .. head .. tail }) -- want WL601
end
