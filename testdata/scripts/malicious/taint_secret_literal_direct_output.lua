-- Hard-coded credentials (WL601 at each literal) that also reach output (WL502 at each sink).

local jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJib3QiLCJyb2xlIjoiYWRtaW4ifQ.kXb8x3Qm1vY2rT5nP7sL0aH4dG6fJ9cE2wZ1uV3yB8M" -- want WL601

wrk.headers["X-JWT-Token"] = jwt
wrk.headers["Accept"] = "application/json"

print("Authorization: Bearer " .. jwt) -- want WL601 WL502
io.stderr:write("slack token xoxb-2291847561-4738291046-Qk7Vb2Nm9Xc4Lp8Rt1Ws6Yz3\n") -- want WL601 WL502
print("jwt has " .. #jwt .. " characters")

function response(status, headers, body)
   if status == 401 then
      wrk.thread:stop()
   end
end
