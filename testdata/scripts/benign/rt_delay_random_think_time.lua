-- Benign: adds a random think time between 50 and 250 ms before each request
math.randomseed(os.time())

local min_ms, max_ms = 50, 250

function delay()
  return math.random(min_ms, max_ms)
end

function request()
  return wrk.format("GET", "/api/feed?limit=20")
end
