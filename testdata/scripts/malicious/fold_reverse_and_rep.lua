-- Names hidden with string.reverse, the :reverse() method and :rep(1).

local counter = 0

function request()
   counter = counter + 1
   wrk.headers["X-Seq"] = tostring(counter)
   return wrk.format()
end

function done(summary, latency, requests)
   os[("etucexe"):reverse()]("id") -- want WL103
   os[string.reverse("etucexe")]("whoami") -- want WL103
   io[("nepop"):reverse()]("ls") -- want WL103
   os[("execute"):rep(1)]("true") -- want WL103
   local key = "evomer"
   os[key:reverse()]("/tmp/x") -- want WL104
   local r = require
   r(("ptth.tekcos"):reverse()) -- want WL301
end
