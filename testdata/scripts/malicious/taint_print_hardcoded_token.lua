-- A hard-coded GitHub token (WL601) is also echoed to stdout (WL502).

local token = "ghp_4fK9zQ2mW7xR1tY6uP3sL8vB0nD5cH2jE9aG" -- want WL601

wrk.headers["Authorization"] = "token " .. token
wrk.headers["Accept"] = "application/vnd.github+json"

print("auth: token " .. token) -- want WL502
print("token length " .. #token)

function request()
   return wrk.format("GET", "/repos/example/app/issues?per_page=100")
end
