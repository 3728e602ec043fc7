-- wrk.format output, with the header lines sorted (wrk's order is a
-- table iteration order, which differs between LuaJIT and wrkrun).
local function show(req)
  local first, rest = req:match("^(.-)\r\n(.*)$")
  local lines, body = {}, rest:match("\r\n\r\n(.*)$") or ""
  for l in rest:gmatch("(.-)\r\n") do
    if l == "" then break end
    lines[#lines + 1] = (l:gsub(":%d+$", ":PORT"))
  end
  table.sort(lines)
  print(first .. " | " .. table.concat(lines, " | ") .. " | body=" .. body)
end
show(wrk.format())
show(wrk.format("POST", "/p?q=1", {["X-A"] = "1"}, "hello"))
show(wrk.format(nil, nil, {["X-N"] = 1e15, ["X-F"] = 1/3}, nil))
show(wrk.format("PUT", "/e", {}, ""))
local h = {["Content-Length"] = "99"}
show(wrk.format("GET", "/cl", h))
print("content-length after", h["Content-Length"], "host after", (tostring(h.Host):gsub(":%d+$", ":PORT")))
print(wrk.scheme, wrk.host, (tostring(wrk.port):gsub("%d+", "PORT")), wrk.path, wrk.method)
print(type(wrk.lookup), type(wrk.connect), type(wrk.format), type(wrk.headers))
