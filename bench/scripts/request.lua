-- Dynamic request: request() builds every request with wrk.format.
-- FLAGSETS="-t1 -c50 -s bench/scripts/request.lua" bench/wrkrun-vs-wrk.sh
request = function()
   return wrk.format(nil, "/")
end
