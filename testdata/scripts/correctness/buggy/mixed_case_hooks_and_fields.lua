-- WL801 and WL805: Done in capitals is never called; wrk.Method is not wrk.method.
wrk.Method = "POST" -- want WL805

function Done(summary) -- want WL801
   print(summary.requests)
end
