-- WL804: an explicit "return nil" and a bare "return" leave wrk nothing to send.
local queue = { "/a", "/b", "/c" }
local i = 0

function request()
   i = i + 1
   if i > #queue then
      return nil -- want WL804
   end
   if queue[i] == "" then
      return -- want WL804
   end
   return wrk.format(nil, queue[i])
end
