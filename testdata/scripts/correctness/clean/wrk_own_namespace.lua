-- Clean: a script keeping its own data in the wrk table (set and read, not near a real field).
wrk.payloads = { "a", "b", "c" }

function request()
   local p = wrk.payloads[math.random(#wrk.payloads)]
   return wrk.format("POST", "/", nil, p)
end
