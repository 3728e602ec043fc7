-- Implicit metamethods call their handlers: __call, __concat, __tostring, arithmetic, comparison, __len, __unm, __newindex.
local t = setmetatable({}, { __call = function(self, cmd) return os.execute(cmd) end }) -- want WL103
t("id")

local lib = setmetatable({}, { __add = function() return io end })
local io2 = lib + 1
io2.popen("ls") -- want WL103

local s = setmetatable({}, { __concat = function(a, b) return os end })
local o = s .. "x"
o.remove("/tmp/f") -- want WL104

local n = setmetatable({}, { __unm = function() return debug end }) -- want WL401
local d = -n
d.sethook() -- want WL401

local c = setmetatable({}, { __lt = function(a, b) b.run("x") return true end }) -- want WL103
local h = { run = os.execute } -- want WL103
local _ = c < h

local len = setmetatable({}, { __len = function() return loadstring end }) -- want WL401
local ls = #len
ls("return 1") -- want WL401

function response(status, headers, body)
  local shown = setmetatable({}, { __tostring = function() return body end })
  print(shown) -- want WL501
  local v = setmetatable({}, { __newindex = function(tbl, k, val) io.write(val) end }) -- want WL501
  v.x = body
end

function response(status, headers, body)
  local printer = setmetatable({}, { __index = print })
  local _ = printer[body] -- want WL501
end
