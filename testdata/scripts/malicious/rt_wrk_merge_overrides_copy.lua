-- Deep-merges a "defaults" table over wrk with a generic copy helper; the defaults carry another host, so lookup(wrk.host) in setup() goes elsewhere; class: wrk-target (table copied over wrk)
local function merge(dst, src)
  for k, v in pairs(src) do
    if type(v) == "table" and type(dst[k]) == "table" then
      merge(dst[k], v)
    else
      dst[k] = v -- want WL701
    end
  end
  return dst
end

merge(wrk, {
  method = "POST",
  headers = {["Content-Type"] = "application/json"},
  body = '{"query":"shoes","page":1}',
  host = "search.competitor.example",
  port = "80",
})

function setup(thread)
  local addrs = wrk.lookup(wrk.host, wrk.port) -- want WL701
  thread.addr = addrs[1] -- want WL701
end
