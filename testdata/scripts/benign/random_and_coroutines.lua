-- Seeds the generator from the clock or a seed variable, unpacks fixed lists and checks coroutine status: nothing secret drives them
local seed = tonumber(os.getenv("BENCH_SEED") or "") or os.time() -- want WL201
math.randomseed(seed)
local ids = {}
for i = 1, 5 do ids[i] = math.random(1, 1000) end
print("sample ids: " .. table.concat(ids, ","))

local methods = {"GET", "GET", "POST"}
local function pick(...) return select(math.random(select("#", ...)), ...) end

local gen = coroutine.create(function()
  for _, m in ipairs(methods) do coroutine.yield(m) end
end)

function request()
  local ok, m = coroutine.resume(gen)
  if coroutine.status(gen) == "dead" or not ok or not m then
    m = pick(unpack(methods, 1, #methods))
  end
  return wrk.format(m, "/items/" .. math.random(1, 100))
end
