-- Shadowed library names: a local io table and a local os table are not the libraries.
local io = { write = function(...) end, popen = function() return nil end }
io.popen("x")
local os = { execute = function() end }
os.execute("y")
local function execute(cmd) return cmd end
execute("z")
local t = { remove = 1, tmpname = "x" }
print(t.remove, t.tmpname)
