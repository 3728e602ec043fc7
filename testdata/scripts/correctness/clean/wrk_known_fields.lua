-- Clean: every field wrk 4, wrk2 and wrkrun document.
wrk.scheme = "http"
wrk.method = "PUT"
wrk.path = "/v1/kv"
wrk.body = "x"
wrk.headers["Content-Type"] = "text/plain"
local addrs = wrk.lookup(wrk.host, wrk.port or "http")
local next_id = (wrk.shard or 0) * 1000
local stride = wrk.shards * 1000

function setup(thread)
   thread.addr = addrs[1]
end

function init(args)
   local t = wrk.thread
end

function request()
   next_id = next_id + stride
   return wrk.format(nil, wrk.path .. "/" .. next_id)
end

function response(status)
   if status == 503 then wrk.thread:stop() end
end
