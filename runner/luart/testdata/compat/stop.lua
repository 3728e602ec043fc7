-- Each thread stops after five responses.
local seen = 0

function response()
   seen = seen + 1
   if seen >= 5 then
      wrk.thread:stop()
   end
end
