-- WL804: an if/elseif chain with no else and nothing after it.
function request() -- want WL804 "can reach its end .line 9."
   local r = math.random(1, 10)
   if r <= 7 then
      return wrk.format("GET", "/browse")
   elseif r <= 9 then
      return wrk.format("GET", "/search?q=shoes")
   end
end
