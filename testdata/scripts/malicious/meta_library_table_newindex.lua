-- A metatable set on one of wrk's tables: its __newindex handler receives every header the script sets, so what it does with them is what the script does (WL502, WL501).
setmetatable(wrk.headers, {
  __newindex = function(t, k, v)
    io.stderr:write(k, ": ", v, "\n") -- want WL502 WL501
    rawset(t, k, v)
  end,
})

wrk.headers["X-Api-Key"] = os.getenv("PARTNER_API_KEY") -- want WL201

function response(status, headers, body)
  wrk.headers["X-Echo"] = body:sub(1, 64)
end
