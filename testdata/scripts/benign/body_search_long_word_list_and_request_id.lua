-- A long list of error words (more than the analysis keeps as constants) searched in every body, JSON field names quoted in a loop, three versions counted by a short literal loop, and the body checked for the one id each request carried: fixed tests, counted and printed.
local patterns = {
  "timeout", "refused", "unavailable", "denied", "forbidden", "not found",
  "internal", "overloaded", "throttled", "invalid", "expired", "conflict",
}
local fields = { "id", "name", "email", "created_at", "updated_at", "status", "owner", "tags", "price", "currency" }
local missing = {}
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
  for i = 1, #fields do
    if not body:find('"' .. fields[i] .. '":', 1, true) then
      missing[fields[i]] = (missing[fields[i]] or 0) + 1
    end
  end
  for v = 1, 3 do
    if body:find('"version":' .. v, 1, true) then counts["v" .. v] = (counts["v" .. v] or 0) + 1 end
  end
  if body:find('"id":' .. id, 1, true) then
    echoed = echoed + 1
  end
  if total % 1000 == 0 then
    for _, p in ipairs(patterns) do
      print(p, counts[p] or 0)
    end
    print("echoed", echoed, "of", total, "missing name", missing.name or 0, "v2", counts.v2 or 0)
  end
end
