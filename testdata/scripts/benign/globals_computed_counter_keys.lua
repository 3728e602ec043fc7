-- Counters kept as globals under computed names: every key has a constant prefix or suffix that no library, builtin function or wrk hook name fits, so it is not WL402.

local prefix = "status_"

function response(status, headers, body)
   _G[prefix .. status] = (_G[prefix .. status] or 0) + 1
   local ctype = headers["Content-Type"] or "none"
   _G[ctype .. "_count"] = (_G[ctype .. "_count"] or 0) + 1
   if status >= 400 then
      local key = "action_fail_" .. tostring(status)
      _G[key] = (_G[key] or 0) + 1
   end
end

local function bump(name)
   local key = "n_" .. name .. "_total"
   rawequal(key, nil)
   _G[key] = (_G[key] or 0) + 1
end

function request()
   bump(wrk.path)
   return wrk.format()
end

function done(summary, latency, requests)
   print("5xx seen: " .. tostring(_G["status_500"] or 0))
end

function init(args)
   local id = tostring(math.random(1000))
   _G[string.format("thread_%s_requests", id)] = 0
end

local function fail(name)
   local key = "action_fail_" .. name
   _G[key] = (_G[key] or 0) + 1
end

function delay()
   fail(wrk.method)
   return 0
end
