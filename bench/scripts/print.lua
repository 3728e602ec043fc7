-- A response() that prints one line per response: the redactor's common
-- case, a line with no secret in it. With BENCH_TOKEN set (and, for
-- wrkrun, --allow-env BENCH_TOKEN) it prints the token instead, and the
-- redactor rewrites every line.
-- FLAGSETS="-t1 -c50 -s bench/scripts/print.lua" bench/wrkrun-vs-wrk.sh
-- wrklint:ignore-file WL502 -- the benchmark measures run-time redaction of this very leak
local secret = os.getenv("BENCH_TOKEN")
local n = 0

response = function(status, headers, body)
   n = n + 1
   if secret then
      print(n, status, secret)
   else
      print(n, status, #body)
   end
end
