-- The length of tables with holes: any border is valid Lua; LuaJIT's and
-- gopher-lua's depend on their own array sizing.
print(#{1, nil, 3}, #{nil, nil, 3}, #{1, 2, nil}, #{nil}, #{1, nil}, #{n = 1, 1, 2})
local t = {} t[1] = 1 t[2] = 2 t[4] = 4 print(#t)
local u = {1, 2, 3, 4, 5} u[3] = nil print(#u) u[5] = nil print(#u)
local v = {} for i = 1, 10 do v[i] = i end v[10] = nil v[5] = nil print(#v)
print(select("#", unpack({1, nil, 3})), pcall(table.concat, {1, 2, 3, nil, 5}, ","))
local w = {} w[2] = 2 print(#w) w[1] = 1 print(#w)
