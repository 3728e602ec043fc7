-- A response() that sees status, headers and body and counts responses.
-- FLAGSETS="-t1 -c50 -s bench/scripts/response.lua" bench/wrkrun-vs-wrk.sh
local responses, ok = 0, 0

response = function(status, headers, body)
   responses = responses + 1
   if status == 200 and #body > 0 then
      ok = ok + 1
   end
end
