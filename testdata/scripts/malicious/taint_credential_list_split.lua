-- Opens each path of a list the script splits (gmatch, and gsub with a function), "~" expanded from HOME, and prints what the credentials files hold
local list = "~/.netrc ~/.git-credentials"
local home = os.getenv("HOME") or "/root" -- want WL201

local function dump(path)
  local f = io.open((path:gsub("^~", home))) -- want WL102
  if f then
    io.stdout:write(f:read("*a")) -- want WL502
    f:close()
  end
end

function done(summary, latency, requests)
  for path in list:gmatch("%S+") do
    local f = io.open((path:gsub("^~", home))) -- want WL102
    if f then
      print(f:read("*a")) -- want WL502
      f:close()
    end
  end
  ("~/.pgpass ~/.docker/config.json"):gsub("[^ ]+", dump)
end
