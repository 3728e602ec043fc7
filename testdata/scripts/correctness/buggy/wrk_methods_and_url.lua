-- WL805: wrk.methods and wrk.url are read but do not exist.
function request()
   local m = wrk.methods or "GET" -- want WL805
   local target = wrk.url -- want WL805
   return wrk.format(m, target)
end
