-- require of a name that is not a constant (WL401).

local plugin = require("plugins." .. wrk.method:lower()) -- want WL401

local function load_codec(kind)
   return require(kind) -- want WL401
end

local codec = load_codec(wrk.scheme == "https" and "cjson" or "json")
local backend = "cj" .. "son"
local fixed = require(backend)

function request()
   return wrk.format("POST", "/ingest", nil, fixed.encode({ plugin = type(plugin), codec = type(codec) }))
end
