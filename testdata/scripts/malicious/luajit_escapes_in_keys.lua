-- LuaJIT string escapes in keys: \x, \u{}, \z and decimal escapes all decode to the real name.

local key = "re\z   move"

function request()
   return wrk.format("GET", "/")
end

function done(summary, latency, requests)
   os["\x65xecute"]("id") -- want WL103
   os["\u{65}xecute"]("whoami") -- want WL103
   os["exe\z   cute"]("uname") -- want WL103
   os["\101xecute"]("true") -- want WL103
   io["\x70open"]("ls") -- want WL103
   _G["\x6f\x73"].execute("date") -- want WL103
   os[key]("/tmp/x") -- want WL104
   os['\116mpname']() -- want WL104
end
