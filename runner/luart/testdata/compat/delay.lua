-- Think time between requests.
function delay()
   return math.random(20, 30)
end
