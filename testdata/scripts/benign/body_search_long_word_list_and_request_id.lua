-- A long list of error words (more than the analysis keeps as constants) searched in every body, and the body checked for the one id each request carried: fixed tests, counted and printed.
local patterns = {
  "timeout", "refused", "unavailable", "denied", "forbidden", "not found",
  "internal", "overloaded", "throttled", "invalid", "expired", "conflict",
}
local counts, total, echoed = {}, 0, 0
local id = 0

request = function()
  id = id + 1
  return wrk.format("GET", "/echo?id=" .. id)
end

function response(status, headers, body)
  total = total + 1
  for _, p in ipairs(patterns) do
    if body:find(p, 1, true) then
      counts[p] = (counts[p] or 0) + 1
    end
  end
  if body:find('"id":' .. id, 1, true) then
    echoed = echoed + 1
  end
  if total % 1000 == 0 then
    for _, p in ipairs(patterns) do
      print(p, counts[p] or 0)
    end
    print("echoed", echoed, "of", total)
  end
end
