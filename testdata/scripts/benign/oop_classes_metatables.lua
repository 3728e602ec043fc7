-- Benign: a small class with __index, __tostring and __call, used to build requests.
local Request = {}
Request.__index = Request
Request.__tostring = function(self) return self.method .. " " .. self.path end

function Request.new(method, path)
  return setmetatable({ method = method, path = path }, Request)
end

function Request:format()
  return wrk.format(self.method, self.path)
end

local Pool = setmetatable({ items = {} }, {
  __call = function(self, r) self.items[#self.items + 1] = r return r end,
  __len = function(self) return #self.items end,
})

Pool(Request.new("GET", "/"))
Pool(Request.new("GET", "/health"))
local i = 0

function request()
  i = i % #Pool.items + 1
  return Pool.items[i]:format()
end

function done(summary)
  print("pool of", #Pool.items, tostring(Pool.items[1]))
end
