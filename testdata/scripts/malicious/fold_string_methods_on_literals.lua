-- Library member names built with string methods on literals.
local e = (""):char(101, 120, 101, 99, 117, 116, 101)
os[e]("id") -- want WL402
local n = ("%s%s"):format("exe", "cute")
os[n]("id") -- want WL103
os[string.format("%s%s", "exe", "cute")]("ls") -- want WL103
io[("pXpen"):gsub("X", "o")]("ls") -- want WL103
os[("re"):rep(1) .. ("evom"):reverse():sub(1, 4)]("/tmp/x") -- want WL104
local b = string.char(("r"):byte(), ("e"):byte()) .. "name"
os[b]("a", "b") -- want WL104
os[("XXexecuteYY"):sub(3, -3)]("id") -- want WL103
os[("EXECUTE"):lower()]("id") -- want WL103
