-- Aliases through multiple assignment and swaps.
local a, b = print, os.execute -- want WL103
a, b = b, a -- want WL103 WL103
a("id") -- want WL103
local p, q, r = 1, 2
p, q = io.popen, p -- want WL103 WL103
q("ls") -- want WL103
