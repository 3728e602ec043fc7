-- Dangerous members stored deep inside tables of tables.
local cfg = { tools = { shell = { run = os.execute } } } -- want WL103
cfg.tools.shell.run("id") -- want WL103
local reg = {}
reg.a = {}
reg.a.b = io.popen -- want WL103
reg.a.b("ls") -- want WL103
local list = { { os.remove } } -- want WL104
list[1][1]("/tmp/x") -- want WL104
