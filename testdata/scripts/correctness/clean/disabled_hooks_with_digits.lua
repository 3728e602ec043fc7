-- Clean: hooks switched off by renaming them with a digit or an underscore.
function request2()
   return wrk.format("POST", "/")
end

function _response(status)
end

function request()
   return wrk.format("GET", "/")
end
