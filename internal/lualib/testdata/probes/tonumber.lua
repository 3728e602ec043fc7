-- tonumber with and without a base.
local inputs = {
  "10", " 10 ", "\t10\n", "1e2", "1E2", "1e+2", "1e-2", "-1e2", "+5", "- 5", ".5", "5.", ".",
  "0x10", "0X10", "0xff", "0xFF", "-0x10", "0x", "0x.8", "0x1p4", "0x1P-1", "0x1.8p1", "0x1g",
  "1e", "1e+", "", " ", "abc", "inf", "-inf", "INF", "nan", "NaN", "infinity", "1 2",
  "0b101", "0b", "0b2", "1LL", "1i", "0x7fffffffffffffff", "0xffffffffffffffffff", "-0",
  "1e400", "-1e400", "1e-400", "00012", "1.5e3", "0.1", "123456789012345678901234567890",
  "\v7\f", "7\0", "0x10p", "0x.p1", "1..2", "1.2.3", "--1", "0e0", "3 ",
}
for i, s in ipairs(inputs) do
  print(i, string.format("%q", s), tonumber(s))
end
local based = {
  {"10", 2}, {"11", 2}, {"12", 2}, {"ff", 16}, {"FF", 16}, {"0x10", 16}, {"-ff", 16},
  {" 11 ", 2}, {"z", 36}, {"Z", 36}, {"10", 36}, {"777", 8}, {"8", 8}, {"", 10}, {"1.5", 10},
  {"1e2", 10}, {"+7", 10}, {"-7", 7}, {"  -1", 16}, {"ffffffffffffffff", 16},
  {"fffffffffffffffff", 16}, {"1x", 16}, {"0x", 16}, {"10", 10}, {10, 16}, {"7fffffff", 16},
}
for i, c in ipairs(based) do
  print(i, c[1], c[2], tonumber(c[1], c[2]))
end
print(tonumber(nil), tonumber(true), tonumber({}), tonumber(12), tonumber(-(12 - 12)))
print(pcall(tonumber))
print(pcall(tonumber, "1", 1))
print(pcall(tonumber, "1", 37))
print(pcall(tonumber, "1", 0))
print(pcall(tonumber, {}, 16))
print(pcall(tonumber, 15, 16))
