-- Example script for a distributed wrkrun run (deploy/kubernetes/run.sh).
-- Every pod runs it with its share of the connections. wrk.shard (this
-- pod's index, 0-based) and the thread number from setup() make every
-- request path unique across threads and pods. done() runs once, in
-- `wrkrun merge`, on the merged results of all pods.

local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("thread_no", threads)
end

local counter = 0
local prefix = "/items/"

function init(args)
   prefix = string.format("/items/%d-%d-", wrk.shard, thread_no)
   wrk.headers["X-Load-Shard"] = wrk.shard .. "/" .. wrk.shards
end

function request()
   counter = counter + 1
   return wrk.format("GET", prefix .. counter)
end

function done(summary, latency, requests)
   io.write(string.format("requests: %d, p99 latency: %.2f ms\n",
      summary.requests, latency:percentile(99) / 1000))
end
