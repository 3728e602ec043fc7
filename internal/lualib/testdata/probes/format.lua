-- string.format conversions, flags, widths, precisions and errors.
local specs = {"%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%5.3d", "%-+5d|", "%i", "%u",
  "%x", "%X", "%#x", "%#X", "%o", "%#o", "%08.3x", "%c", "%5c|", "%-5c|", "%e", "%E", "%.0e", "%#.0e",
  "%10.3e", "%f", "%.0f", "%.1f", "%10.2f", "%-10.2f|", "%+.2f", "% f", "%010.2f", "%#.0f", "%g",
  "%G", "%.0g", "%.1g", "%.3g", "%10g", "%#g", "%-#10.3g|", "%.14g", "%.17g", "%a", "%A", "%.2a",
  "%.0a", "%10a", "%s", "%10s", "%-10s|", "%.2s", "%5.1s", "%q", "%99d", "%.99f"}
local zero = 0
local nums = {0, 1, -1, 42, -42, 3.7, -3.7, 0.5, 1.5, 2.5, 255, 65, 1e15, 1e100, -zero, 2^31, 2^32,
  2^53, 2^63, -2^63, 2^64, 1e-5, 123.456, 1/3, 1/0, -1/0, 0/0}
for _, f in ipairs(specs) do
  for _, n in ipairs(nums) do
    local ok, r = pcall(string.format, f, n)
    if #tostring(r) > 60 then r = #r .. " bytes, ends " .. r:sub(-20) end
    print(f, tostring(n), ok, r)
  end
end
print(string.format("%q", "a\0b\n\r\"\\\1\127\200\0001\0012\t"))
print(string.format("%q", ""), string.format("%q", 12), string.format("%q", 1/3), string.format("%q", 1e100))
print(string.format("%10.3q|", "a"))
print(string.format("%s %s %s %s", nil, true, false, 12))
print(string.format("%5s|%-5s|%.1s", true, nil, false))
local t = setmetatable({}, {__tostring = function() return "T!" end})
print(string.format("%s|%5s|%.1s", t, t, t))
print(string.format("%%"), string.format("a%%b"), pcall(string.format, "%5%"))
print(string.format("no args"), string.format(""), string.format("%d%%", 50))
print(string.format("%d", "12"), string.format("%d", "0x10"), string.format("%x", " 255 "), string.format("%c", "65"))
print(string.format("%c%c%c", 256 + 66, 0, 255):byte(1, -1))
print(string.format("%s", 1e15), string.format("%s", 10/3), string.format("%s", -zero))
print(string.format("%-5d|%-5s|%5.2f", 1, "ab", 3.14159))
print(string.format(12), string.format(1.5))
local errs = {"%", "%y", "%100d", "%1000d", "%.100f", "%.999f", "%0100d", "%-100s", "%10.100f",
  "%-", "%5", "%.", "%F", "%D", "%n", "%h", "%ld", "%lld", "%b", "%1$d", "%*d", "%\1", "%-+ #0d", "%--d", "%+++d"}
for _, f in ipairs(errs) do print(f, pcall(string.format, f, 1)) end
print(pcall(string.format, "%d"))
print(pcall(string.format, "%d", "x"))
print(pcall(string.format, "%d", {}))
print(pcall(string.format, "%d %d", 1))
print(pcall(string.format, "%s"))
print(pcall(string.format, "%q"))
print((select(2, pcall(string.format, "%q", {})):gsub("0x%x+", "ADDR")))
print(pcall(string.format, "%c"))
print(pcall(string.format, "%f", "abc"))
print(pcall(string.format))
print(pcall(string.format, {}))
print(pcall(string.format, "%s", setmetatable({}, {__tostring = function() return 1 end})))
print((select(2, pcall(string.format, "%s", setmetatable({}, {__tostring = function() return {} end}))):gsub("0x%x+", "ADDR")))
print(pcall(function() return string.format("%d", nil) end))
print(pcall(function() local s = string.format("%d", nil) return s end))
print(string.format("%5.2s|%.0s|%s", "abcdef", "x", 1e15))
print(string.format("%#x %#o %+d % d %05d %-5d| %.3d %#.3x", 255, 8, 5, 5, -42, 7, 7, 1))
print(string.format("%a %A %.2a %a %a %a %.3a %.1a", 0.5, 255.5, 1/3, 0, -zero, 5e-324, 2^-1074 * 3, 1.96875))
print(string.format("%g %g %g %#g %.0g %.20g", 100000, 1000000, 0.0001, 1.5, 0.5, 0.1))
print(string.format("%5.1f|%-8.3e|%+.2f|% f|%08.2f", 3.14159, 1234.5, 2, 1, -3.14159))
print(string.format("%f %e %g", 1/0, -1/0, 0/0), string.format("%5.1f|%-6f|%+f|%05f|% f|%E|%G", 1/0, 1/0, 1/0, -1/0, 1/0, 1/0, 0/0))
print(string.format("%.3f %.3f %.2f %.0f %.0f %.0f", 0.0005, 0.0015, 2.675, 0.5, 1.5, 2.5))
print(string.format("%5s", ("x"):rep(200)):len())
