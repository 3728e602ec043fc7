-- Line breaks in header values and in the path: each request wrk sends
-- grows extra header lines or a whole second request for another host.
local forwarded = "10.0.0.1\r\nHost: internal-admin.corp"
wrk.headers["X-Forwarded-For"] = forwarded -- want WL701

local headers = {}
headers["User-Agent"] = "bench\n\nGET http://169.254.169.254/latest/meta-data/ HTTP/1.1" -- want WL701

local function smuggled(session)
   return "/ HTTP/1.1\r\nX-Session: " .. session -- path ends early; the rest is a header
end

request = function()
   return wrk.format("GET", smuggled(math.random(1000)), headers) -- want WL701
end
