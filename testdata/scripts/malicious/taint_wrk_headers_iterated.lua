-- A secret stored in wrk.headers comes back out when the script iterates wrk.headers (WL502).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("API_TOKEN") -- want WL201

function done(summary)
  for name, value in pairs(wrk.headers) do
    print(name .. ": " .. value) -- want WL502
  end
  local _, v = next(wrk.headers)
  io.stderr:write(tostring(v)) -- want WL502
end
