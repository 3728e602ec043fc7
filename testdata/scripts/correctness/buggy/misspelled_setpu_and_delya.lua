-- WL801: setup and delay both misspelt.
local threads = {}

function setpu(thread) -- want WL801
   table.insert(threads, thread)
end

function delya() -- want WL801
   return math.random(10, 50)
end
