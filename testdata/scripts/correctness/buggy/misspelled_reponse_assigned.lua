-- WL801: a hook assigned as a function value under a misspelt name.
local ok = 0

reponse = function(status) -- want WL801
   if status == 200 then ok = ok + 1 end
end
