-- The string table through getmetatable("").__index.
local s = getmetatable("").__index
local dump = s.dump -- want WL401
local smt = getmetatable("")
local d2 = smt.__index["du" .. "mp"] -- want WL401
