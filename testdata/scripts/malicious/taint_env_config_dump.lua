-- A config table built from the environment is dumped as JSON and in an error (WL502).

local cjson = require "cjson"

local config = {
   url = os.getenv("TARGET_URL") or "http://localhost:8080", -- want WL201
   token = os.getenv("API_TOKEN"), -- want WL201
}

print("config: " .. cjson.encode(config)) -- want WL502 "environment variable \"API_TOKEN\" from line 7 reaches print"

if not config.token or #config.token < 20 then
   error("API_TOKEN rejected: " .. tostring(config.token)) -- want WL502 "\"API_TOKEN\" .* reaches error"
end

wrk.headers["Authorization"] = "Bearer " .. config.token

-- A label next to the secret is not a secret: printing it alone is not WL502.
print("target: " .. config.url)
