-- WL804: the request is built and thrown away; request() returns nil.
function request() -- want WL804
   wrk.format("GET", "/api/items?page=" .. math.random(1, 100))
end
