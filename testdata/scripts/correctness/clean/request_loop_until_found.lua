-- Clean: a loop that never ends except by returning is not a fall-off path.
local items = { "/x", "", "/y" }
local i = 0

function request()
   while true do
      i = i % #items + 1
      if items[i] ~= "" then
         return wrk.format(nil, items[i])
      end
   end
end
