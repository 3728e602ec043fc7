-- Loads request payloads with read-only io.open modes; each open is a WL102 warning.

local function slurp(path)
   local f = assert(io.open(path, "rb")) -- want WL102
   local data = f:read("*a")
   f:close()
   return data
end

local small = slurp("payloads/small.json")
local tmpl = io.open("payloads/template.json") -- want WL102
local template = tmpl and tmpl:read("*a") or "{}"
if tmpl then tmpl:close() end

local mode = "r"
local h = io.open("payloads/headers.txt", mode) -- want WL102
if h then
   for line in h:lines() do
      local k, v = line:match("^([^:]+):%s*(.*)$")
      if k then wrk.headers[k] = v end
   end
   h:close()
end

wrk.method = "PUT"
wrk.body = small or template
wrk.headers["Content-Type"] = "application/json"
