-- WL802: the shape of a public template script: setup() declared local never runs.
math.randomseed(os.time())

local setup = function(thread) -- want WL802
   thread:set("id", math.random(1000))
end
