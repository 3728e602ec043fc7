-- Quiet apart from WL102: a payload file is read, previewed on stdout and posted to the target.

local f = assert(io.open("payload.json", "rb")) -- want WL102
local payload = f:read("*a")
f:close()

print("payload preview: " .. payload:sub(1, 60))
io.write(string.format("payload is %d bytes\n", #payload))

wrk.method = "POST"
wrk.body = payload
wrk.headers["Content-Type"] = "application/json"

function response(status, headers, body)
   if status == 413 then
      wrk.thread:stop()
   end
end
