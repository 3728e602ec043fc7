-- A script that only mentions dangerous names in comments and strings; yet one real call.
-- os.execute("rm -rf /") is what we never do
local doc = "call os.execute or io.popen here"
local name = "os.remove"
print(doc, name)
--[[ io.popen("ls") ]]
local x = [[ loadstring("x") ]]
local real = os.execute -- want WL103
