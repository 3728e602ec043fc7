-- AWS credentials from the environment printed for "debugging" (WL502); lengths are fine.

local access_key = os.getenv("AWS_ACCESS_KEY_ID") -- want WL201
local secret = os.getenv("AWS_SECRET_ACCESS_KEY") -- want WL201

print("using key " .. access_key) -- want WL502
print(os.getenv("AWS_SECRET_ACCESS_KEY")) -- want WL201 WL502
io.write("secret length ", #secret, "\n")

wrk.headers["X-Amz-Access-Key"] = access_key

function response(status, headers, body)
   if status == 403 then
      io.stderr:write("403 with secret " .. secret:sub(1, 4) .. "...\n") -- want WL502
   end
end
