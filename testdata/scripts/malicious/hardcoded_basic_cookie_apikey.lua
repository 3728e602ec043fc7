-- Credential header literals: Bearer token, Basic auth, session cookie, API key (WL601).

wrk.headers["Authorization"] = "Bearer 7f3a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a" -- want WL601
wrk.headers["Cookie"] = "sessionid=6b1f2c9e8d7a4b3c5e0f; csrftoken=Qm9Xz2LkP8vR4tYw" -- want WL601
wrk.headers["X-API-Key"] = "a94f3c27e81b4d5f9c06e2b7d13a8f45" -- want WL601

local admin = {
   ["Authorization"] = "Basic dXNlcjpwYXNz", -- want WL601
   ["x-api-key"] = "live_4eC39HqLyjWDarjtT1zdp7dc", -- want WL601
}

local n = 0

function request()
   n = n + 1
   if n % 10 == 0 then
      return wrk.format("GET", "/admin/stats", admin)
   end
   return wrk.format("GET", "/catalog?page=" .. (n % 20))
end
