-- Synthetic users whose passwords are a template and a counter, sent with a random nonce: what varies touches every value, nothing constant looks like a credential.
local n = 0
function setup(thread)
  thread:set("tenant", "tenant-" .. thread.id)
end

function request()
  n = n + 1
  local user = string.format("user%05d", n)
  local body = "username=" .. user .. "&password=Pass" .. n .. "word&nonce=" .. math.random(1, 1e9)
  return wrk.format("POST", "/login?tenant=" .. tostring(tenant) .. "&ts=" .. os.time(), {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Trace"] = "trace-" .. math.random(1, 1e6) .. "-fixed-suffix-value",
  }, body)
end
