-- WL804: request() returns the parts of a request instead of the formatted string.
function request()
   return { method = "POST", path = "/login", body = "{}" } -- want WL804
end
