-- A password with punctuation, hidden by a substitution alphabet and decoded by gsub with a table: WL601 where it is sent.
local from = "zyxwvutsrqponmlkjihgfedcba9876543210!@#$"
local to   = "abcdefghijklmnopqrstuvwxyz0123456789$#@!"
local map = {}
for i = 1, #from do map[from:sub(i, i)] = to:sub(i, i) end
local secret = ("kzhhdliw!5@1"):gsub(".", map)
wrk.body = "user=admin&password=" .. secret -- want WL601
