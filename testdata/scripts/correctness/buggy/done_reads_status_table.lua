-- WL803: a table filled in response() is empty in done() (wrk's own main state never runs response()).
codes = {}

function response(status)
   codes[status] = (codes[status] or 0) + 1
end

function done()
   for status, count in pairs(codes) do -- want WL803
      print(status, count)
   end
end
