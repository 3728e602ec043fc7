-- Multi-step checkout: session cookie and CSRF token from responses go back to the target only.

local step = 1
local steps = {
   { method = "GET",  path = "/cart" },
   { method = "POST", path = "/cart/items", body = '{"sku":"C-42","qty":1}' },
   { method = "POST", path = "/checkout", body = '{"payment":"test-card"}' },
}

function request()
   local s = steps[step]
   local headers = { ["Content-Type"] = "application/json" }
   return wrk.format(s.method, s.path, headers, s.body)
end

function response(status, headers, body)
   local cookie = headers["Set-Cookie"]
   if cookie then
      wrk.headers["Cookie"] = cookie:match("^([^;]+)")
   end
   if headers["X-CSRF-Token"] then
      wrk.headers["X-CSRF-Token"] = headers["X-CSRF-Token"]
   end
   if status < 400 then
      step = step % #steps + 1
   else
      step = 1
   end
end
