-- A multipart upload: the body holds CRLF line breaks, as multipart must;
-- header values and the path hold none.
local boundary = "----wrkbench" .. tostring(os.time())
wrk.method = "POST"
wrk.path = "/upload?kind=avatar"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.body = table.concat({
   "--" .. boundary,
   'Content-Disposition: form-data; name="file"; filename="a.txt"',
   "Content-Type: text/plain",
   "",
   "hello\nworld",
   "--" .. boundary .. "--",
   "",
}, "\r\n")

local headers = { ["X-Note"] = "line one, line two" }
request = function()
   return wrk.format(nil, "/upload?n=" .. math.random(100), headers, wrk.body)
end
