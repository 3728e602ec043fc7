-- Hostile arguments: NaN, infinities, huge and negative counts, fractions, strings.
local odd = {0/0, 1/0, -1/0, 2^31, -2^31, 2^31 - 1, 2^32, -2^32 - 1, 2^53, 1e300, -1e300, 0.5, -0.5, 1.9999, "3", "0x2", " 4 "}
local s = "hello"
for i, v in ipairs(odd) do
  local r = {}
  local function try(name, f, ...)
    local res = {pcall(f, ...)}
    for k = 1, #res do res[k] = tostring(res[k]) end
    r[#r + 1] = name .. "=" .. table.concat(res, ",")
  end
  try("sub", string.sub, s, v)
  try("sub2", string.sub, s, 2, v)
  try("byte", string.byte, s, v)
  try("rep", function(a, b) return #string.rep(a, b) end, "ab", type(v) == "number" and v < 1e6 and v or 3)
  try("char", string.char, v)
  try("find", string.find, s, "l", v)
  try("gsubn", string.gsub, s, "l", "L", v)
  try("fmtd", string.format, "%d", v)
  try("fmtx", string.format, "%x", v)
  try("fmtc", function(x) return #string.format("%c", x) end, v)
  try("tobit", bit.tobit, v)
  try("lsh", bit.lshift, 1, v)
  try("tohex", bit.tohex, 255, v)
  try("concat", table.concat, {1, 2, 3}, ",", v)
  try("unpackn", function(a) return select("#", unpack({1, 2, 3}, a, 3)) end, v)
  try("remove", function(p) local t = {1, 2, 3} return table.remove(t, p) end, v)
  try("ldexp", math.ldexp, 1, v)
  try("floor", math.floor, v)
  try("fmod", math.fmod, 7, v)
  try("tostr", tostring, v)
  try("tonum16", tonumber, "ff", v)
  print(i, table.concat(r, " "))
end
print(pcall(string.rep, "x", 0/0), pcall(string.rep, "x", 1/0))
print(pcall(string.sub, "abc", 0/0, 0/0))
print(string.find("abc", "c", 0/0), string.find("abc", "a", -1/0))
print(pcall(string.format, "%5.2d|%-3c|%3s", 0/0, 0/0, 0/0))
print(pcall(string.gsub, "abc", ".", "%1"))
print(pcall(string.gsub, "abc", "(.)", "%2"))
print(string.gsub("abc", "(.)", "%1%1", 0/0))
print(pcall(string.char, 0/0))
print(pcall(table.concat, {}, "", 1, 0/0))
print(math.max(0/0), math.min(1/0, -1/0), math.abs(-1/0), math.floor(-0.0001))
print(#string.format("%99.99f", -1e308), #string.format("%99.99f", 1/0))
print(string.format("%.99f", 0.1):sub(1, 40))
print(string.format("%.99e", 0.1):sub(1, 40))
print(string.format("%.99g", 0.1):sub(1, 40))
print(string.format("%.99a", 0.1):sub(1, 40))
