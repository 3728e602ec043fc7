-- Benign: a coroutine-based generator produces a login -> browse -> checkout request sequence
local function scenario()
  while true do
    coroutine.yield(wrk.format("POST", "/session/guest", {["Content-Type"] = "application/json"}, '{"guest":true}'))
    for page = 1, 3 do
      coroutine.yield(wrk.format("GET", "/catalog?page=" .. page))
    end
    coroutine.yield(wrk.format("POST", "/cart", {["Content-Type"] = "application/json"}, '{"sku":"A-1","qty":1}'))
    coroutine.yield(wrk.format("POST", "/checkout"))
  end
end

local next_request

function init(args)
  next_request = coroutine.wrap(scenario)
end

function request()
  return next_request()
end
